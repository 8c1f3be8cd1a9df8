import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LifecycleEvent } from '@qadaga/domain';
import { createPool, createPrismaClient, ReferenceRepository, RuleRepository } from '@qadaga/db';
import { IngestPipeline, LedgerWriter } from '@qadaga/ledger';
import { resetLedger, testDatabaseUrl } from '@qadaga/db/testing';
import { computeFacts, sourceProfiles, windowEnding } from '@qadaga/facts';
import { TINY_REFERENCE } from '@qadaga/facts/testing';
import { coverageReport } from './coverage.js';
import { sweepInstant } from './history-end.js';
import { installRulePack } from './install-rule-pack.js';
import { RuleRunner } from './rule-runner.js';

/**
 * Rules judge only what a source could have said. The city's own sources (cam, desk, reg)
 * report every step and time to the millisecond; "xcity" is another city's export: every
 * step but deliveries, each time a date (local midnight, 19:00 UTC in Almaty).
 */
const pool = createPool({ url: testDatabaseUrl(), size: 6 });
const prisma = createPrismaClient(pool);
const rules = new RuleRepository(prisma);
const TZ = 'Asia/Almaty';

const AS_OF = new Date('2026-06-30T12:00:00Z');
const HISTORY_END = new Date('2026-06-20T09:41:17.250Z');
const at = (ms: number) => new Date(ms).toISOString();
const DAY = 86_400_000;
const camera = { kind: 'camera' as const, id: 'C1' };
const register = { kind: 'system' as const, id: 'reg' };
const detected = { article: '592.1', plate: '111AAA02', cameraId: 'C1', fine: { amount: 7384 } };

function ownCity(): LifecycleEvent[] {
  const events: LifecycleEvent[] = [];
  // O2 signs 60 confirmations, each fifth 1.2 s after the one before: a rubber stamp, timed to the millisecond.
  let t = AS_OF.getTime() - 20 * DAY + 13_345;
  for (let i = 0; i < 60; i += 1) {
    t += i % 5 === 0 && i > 0 ? 1_200 : 317_700;
    const ref = `V-I${i}`;
    events.push(
      { source: 'cam', eventId: `CAM-${ref}`, violationRef: ref, type: 'detected', occurredAt: at(t - 3_600_000 - 4_321), actor: camera, payload: detected } as LifecycleEvent,
      { source: 'desk', eventId: `DSK-${ref}`, violationRef: ref, type: 'confirmed', occurredAt: at(t), actor: { kind: 'officer', id: 'O2', unit: 'AP-1', workstation: 'WS-2' }, payload: {} } as LifecycleEvent,
    );
  }
  // The register delivers one notice and leaves another undelivered: it reports deliveries, so it is judged.
  const notice = (ref: string, days: number, delivered: boolean): LifecycleEvent[] => [
    { source: 'reg', eventId: `REG-${ref}-1`, violationRef: ref, type: 'notice_issued', occurredAt: at(AS_OF.getTime() - days * DAY + 5_517), actor: register, payload: { noticeNumber: `N-${ref}` } } as LifecycleEvent,
    ...(delivered ? [{ source: 'reg', eventId: `REG-${ref}-2`, violationRef: ref, type: 'notice_delivered', occurredAt: at(AS_OF.getTime() - (days - 2) * DAY + 7_001), actor: register, payload: { noticeNumber: `N-${ref}` } } as LifecycleEvent] : []),
  ];
  events.push(...notice('V-I1', 19, true), ...notice('V-I2', 18, false), ...notice('V-I3', 78, false));
  return events;
}

/** 60 violations over 20 days of another city's export, confirmed by X-O1 from two workstations in turn. */
function otherCity(): LifecycleEvent[] {
  const events: LifecycleEvent[] = [];
  for (let i = 0; i < 60; i += 1) {
    const day = Date.UTC(2026, 2, 1 + Math.floor(i / 3)) - 5 * 3_600_000; // local midnight, 1 March on
    const ref = `X-${i}`;
    const actor = { kind: 'officer' as const, id: 'X-O1', unit: 'X-AP', workstation: i % 2 === 0 ? 'X-WS-A' : 'X-WS-B' };
    events.push(
      { source: 'xcity', eventId: `X-${i}-1`, violationRef: ref, type: 'detected', occurredAt: at(day), actor: camera, payload: detected } as LifecycleEvent,
      { source: 'xcity', eventId: `X-${i}-2`, violationRef: ref, type: 'confirmed', occurredAt: at(day), actor, payload: {} } as LifecycleEvent,
      { source: 'xcity', eventId: `X-${i}-3`, violationRef: ref, type: 'notice_issued', occurredAt: at(day + DAY), actor: register, payload: { noticeNumber: `XN-${i}` } } as LifecycleEvent,
    );
  }
  return events;
}

beforeAll(async () => {
  await resetLedger(pool);
  await pool.query('TRUNCATE flag, flag_history, pending_evaluation, outbox_cursor, rule_version, rule, suppression, officer, vehicle, camera, dispatch CASCADE');
  await new ReferenceRepository(pool).load(TINY_REFERENCE);
  await installRulePack(rules);
  const events = [...ownCity(), ...otherCity()];
  const ingested = await new IngestPipeline(new LedgerWriter(pool)).ingest(events.map((value, index) => ({ index, value })), { allowedSource: null });
  expect(ingested.summary.rejected).toBe(0);
  await new RuleRunner(pool, rules, TZ).evaluate({ asOf: AS_OF });
});
afterAll(async () => {
  await prisma.$disconnect();
  await pool.end();
});

const flagsOf = async (ruleId: string) =>
  (await pool.query<{ subject_id: string; explanation: { en: string } }>('SELECT subject_id, explanation FROM flag WHERE rule_id = $1 ORDER BY subject_id', [ruleId])).rows;

describe('source profiles', () => {
  it('learns which steps each source reports and how finely it times them', async () => {
    const profiles = new Map((await sourceProfiles(pool, AS_OF)).map((p) => [p.source, p]));
    expect(profiles.get('xcity')).toMatchObject({ precision: 'day', events: 180, eventTypes: { detected: 60, confirmed: 60, notice_issued: 60 } });
    expect(profiles.get('xcity')?.eventTypes.notice_delivered).toBeUndefined();
    expect(profiles.get('desk')).toMatchObject({ precision: 'instant', eventTypes: { confirmed: 60 } });
    expect(profiles.get('reg')?.eventTypes).toEqual({ notice_issued: 3, notice_delivered: 1 });
  });
});

describe('rules judge only what a source could have said', () => {
  it('raises no notice-not-delivered flag for a source that never reports deliveries, and still does for one that does', async () => {
    expect((await flagsOf('notice-not-delivered')).map((f) => f.subject_id)).toEqual(['reg']);
    const facts = new Map((await computeFacts(pool, 'source', windowEnding(AS_OF, 365, TZ), { all: true })).map((f) => [f.id, f.facts]));
    expect(facts.get('xcity')).toMatchObject({ noticesDue: 0, noticesUndelivered: 0, noticesNotJudged: 60 });
    expect(facts.get('reg')).toMatchObject({ noticesDue: 1, noticesUndelivered: 1, noticesNotJudged: 0 });
  });

  it('does not judge the speed of decisions, nor workstation switches, whose source records dates alone', async () => {
    expect((await flagsOf('rubber-stamping')).map((f) => f.subject_id)).toEqual(['O2']);
    const facts = new Map((await computeFacts(pool, 'officer', windowEnding(AS_OF, 180, TZ), { all: true })).map((f) => [f.id, f.facts]));
    expect(facts.get('X-O1')).toMatchObject({ decisions: 60, timedDecisions: 0, untimedDecisions: 60, fastDecisions: 0, fastDecisionShare: 0, workstationConflicts: 0, clockedDecisions: 0, unclockedDecisions: 60 });
    expect(facts.get('O2')).toMatchObject({ decisions: 60, timedDecisions: 60, untimedDecisions: 0, fastDecisions: 11 });
  });

  it('says in the explanation how many decisions were not judged', async () => {
    const [o2] = await flagsOf('rubber-stamping');
    expect(o2?.explanation.en).toContain('11 of 60 decisions timed to the second (18.3%) came less than 2 seconds after the previous one');
    expect(o2?.explanation.en).toContain('0 decisions from sources that record no seconds were not judged for speed');
  });
});

describe('the instant a sweep judges', () => {
  it('is the end of the history the ledger holds, not the wall clock, unless one is given', async () => {
    // The latest event is reg's delivery 17 days before AS_OF.
    const latest = new Date(AS_OF.getTime() - 17 * DAY + 7_001);
    expect(await sweepInstant(pool, undefined, AS_OF)).toEqual({ asOf: new Date(latest.getTime() + 1), basis: 'history-end', historyEnd: latest });
    expect(await sweepInstant(pool, HISTORY_END.toISOString(), AS_OF)).toEqual({ asOf: HISTORY_END, basis: 'given', historyEnd: latest });
    // A live ledger, whose last event is about now, is judged now.
    expect((await sweepInstant(pool, undefined, new Date(latest.getTime() - 1_000))).basis).toBe('now');
    await expect(sweepInstant(pool, 'yesterday')).rejects.toThrow('asOf: not an instant: yesterday');
  });
});

describe('coverage', () => {
  it('tells, per rule and source, whether the rule can judge the source, and counts what it could not', async () => {
    const runner = new RuleRunner(pool, rules, TZ);
    const report = await coverageReport(pool, runner, TZ, AS_OF);
    const rule = (id: string) => report.rules.find((r) => r.ruleId === id);
    const source = (id: string, code: string) => rule(id)?.sources.find((s) => s.source === code);
    expect(source('notice-not-delivered', 'xcity')).toEqual({ source: 'xcity', judges: 'cannot', unsupported: [{ fact: 'noticesUndelivered', reason: 'reports no deliveries', code: 'no_delivery' }] });
    expect(source('notice-not-delivered', 'reg')?.judges).toBe('judges');
    expect(rule('notice-not-delivered')).toMatchObject({ subjectsNotJudged: 1, subjectsPartlyJudged: 0, itemsNotJudged: 60 });
    // Rubber-stamping still judges xcity's absences; its speed and workstations it cannot.
    expect(source('rubber-stamping', 'xcity')).toMatchObject({ judges: 'partly', unsupported: [{ fact: 'fastDecisionShare' }, { fact: 'workstationConflicts' }] });
    expect(source('rubber-stamping', 'desk')?.judges).toBe('judges');
    expect(rule('rubber-stamping')).toMatchObject({ subjectsNotJudged: 1, itemsNotJudged: 60 });
    expect(rule('off-shift-action')).toMatchObject({ subjectsNotJudged: 1, itemsNotJudged: 60 });
    // A rule that needs nothing of a source's data has nothing to report here.
    expect(rule('officer-outlier-rate')).toMatchObject({ needs: [], sources: [], subjectsNotJudged: 0 });
  });
});
