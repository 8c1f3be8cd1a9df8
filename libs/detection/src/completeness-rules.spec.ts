import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LifecycleEvent } from '@qadaga/domain';
import { createPool, createPrismaClient, ReferenceRepository, RuleRepository } from '@qadaga/db';
import { IngestPipeline, LedgerWriter } from '@qadaga/ledger';
import { resetLedger, testDatabaseUrl } from '@qadaga/db/testing';
import { computeFacts, windowEnding } from '@qadaga/facts';
import { installRulePack } from './install-rule-pack.js';
import { RuleRunner } from './rule-runner.js';
import { TINY_REFERENCE } from '@qadaga/facts/testing';

/**
 * The completeness rules on facts computed by PostgreSQL from a real ledger: each fires
 * on the case built for it, and not on its clean neighbours.
 */
const pool = createPool({ url: testDatabaseUrl(), size: 6 });
const prisma = createPrismaClient(pool);
const rules = new RuleRepository(prisma);
const runner = new RuleRunner(pool, rules, 'Asia/Almaty');

const AS_OF = new Date('2026-06-30T12:00:00Z');
const daysAgo = (days: number) => new Date(AS_OF.getTime() - days * 86_400_000).toISOString();
const camera = { kind: 'camera' as const, id: 'C1' };
const officer = { kind: 'officer' as const, id: 'O1', unit: 'AP-1', workstation: 'WS-O1' };
const register = { kind: 'system' as const, id: 'reg' };
const PREFIX: Record<string, string> = { desk: 'RVD', reg: 'REG', tre: 'TRS' };

let cameraNumber = 0;
/** Camera events are numbered across the feed ("SGK-000001"); the others per violation ("REG-<ref>-1"). */
function violation(ref: string, steps: [LifecycleEvent['type'], number][], options: { skipCameraNumber?: boolean } = {}): LifecycleEvent[] {
  const perSource = new Map<string, number>();
  return steps.map(([type, days]) => {
    const source = type === 'detected' ? 'cam' : type === 'paid' ? 'reg' : ['review_assigned', 'confirmed', 'rejected', 'cancelled'].includes(type) ? 'desk' : 'reg';
    let eventId: string;
    if (source === 'cam') {
      cameraNumber += options.skipCameraNumber === true ? 2 : 1;
      eventId = `SGK-${String(cameraNumber).padStart(6, '0')}`;
    } else {
      const n = (perSource.get(source) ?? 0) + 1;
      perSource.set(source, n);
      eventId = `${PREFIX[source] ?? source}-${ref}-${n}`;
    }
    const actor = source === 'cam' ? camera : source === 'desk' ? officer : register;
    const payload: Record<string, unknown> =
      type === 'detected'
        ? { article: '592.1', plate: '111AAA02', cameraId: 'C1', fine: { amount: 7384 } }
        : type === 'review_assigned'
          ? { officerId: 'O1', unit: 'AP-1' }
          : type === 'notice_issued'
            ? { noticeNumber: `N-${ref}` }
            : type === 'paid'
              ? { amount: 3692 }
              : type === 'rejected'
                ? { reasonCode: 'camera_error' }
                : {};
    return { source, eventId, violationRef: ref, type, occurredAt: daysAgo(days), actor, payload } as LifecycleEvent;
  });
}

beforeAll(async () => {
  await resetLedger(pool);
  await pool.query('TRUNCATE flag, flag_history, pending_evaluation, outbox_cursor, rule_version, rule, suppression, officer, vehicle, camera, dispatch CASCADE');
  await new ReferenceRepository(pool).load(TINY_REFERENCE);
  await installRulePack(rules);
  const events = [
    // Unreviewed for 60 days; one that expired unreviewed after 61 days (an expiry is no decision);
    // one rejected on its 40th day, which had waited past the limit but is no longer waiting.
    ...violation('V-STUCK', [['detected', 60], ['review_assigned', 60]]),
    ...violation('V-EXPIRED', [['detected', 70], ['review_assigned', 70], ['expired', 9]]),
    // Confirmed 39 days ago and no notice; the clean neighbour got its notice, delivery and payment.
    ...violation('V-NO-NOTICE', [['detected', 40], ['review_assigned', 40], ['confirmed', 39]]),
    ...violation('V-NOTICED', [['detected', 40], ['review_assigned', 40], ['confirmed', 39], ['notice_issued', 38], ['notice_delivered', 37], ['paid', 30]]),
    // Notice 78 days ago, never delivered; the neighbour was paid, which proves it arrived.
    ...violation('V-UNDELIVERED', [['detected', 80], ['review_assigned', 80], ['confirmed', 79], ['notice_issued', 78]]),
    ...violation('V-PAID', [['detected', 80], ['review_assigned', 80], ['confirmed', 79], ['notice_issued', 78], ['paid', 70]]),
    // The camera feed over the last 30 days: SGK numbers 7, 8, 9, 11, 13, 14. Number 10 was
    // never sent; 12 exists, dated outside the window, so 11..13 is no hole.
    ...violation('V-Q1', [['detected', 20]]),
    ...violation('V-Q2', [['detected', 15]]),
    ...violation('V-Q3', [['detected', 10]]),
    ...violation('V-Q4', [['detected', 8]], { skipCameraNumber: true }),
    ...violation('V-Q5', [['detected', 40], ['rejected', 39]]),
    ...violation('V-Q6', [['detected', 5]]),
    ...violation('V-Q7', [['detected', 3]]),
    // Numbered after the feed above so its camera number does not shift the feed's.
    ...violation('V-LATE', [['detected', 70], ['review_assigned', 70], ['rejected', 30]]),
    // The treasury's record of V-PAID's payment, a day before the register's: matched. It
    // is what shows the treasury reports payments at all, so the register's are judged.
    { source: 'tre', eventId: 'TRS-V-PAID-1', violationRef: 'V-PAID', type: 'paid', occurredAt: daysAgo(71), actor: { kind: 'treasury', id: 'tre' }, payload: { amount: 3692 } } as LifecycleEvent,
    // A source whose ids end in a timestamp: numbers are not a sequence.
    ...[20260610120000, 20260611120000, 20260612120000].map(
      (n, i) => ({ source: 'legacy', eventId: `EVT-${n}`, violationRef: `V-L${i}`, type: 'detected', occurredAt: daysAgo(18 - i), actor: camera, payload: { article: '592.1', plate: '111AAA02', cameraId: 'C1' } }) as LifecycleEvent,
    ),
  ];
  const ingested = await new IngestPipeline(new LedgerWriter(pool)).ingest(events.map((value, index) => ({ index, value })), { allowedSource: null });
  expect(ingested.summary.rejected).toBe(0);
  await runner.evaluate({ asOf: AS_OF });
});
afterAll(async () => {
  await prisma.$disconnect();
  await pool.end();
});

const COMPLETENESS = ['unreviewed-detection', 'confirmed-without-notice', 'notice-not-delivered', 'source-id-gap'];

describe('completeness rules over a real ledger', () => {
  it('flags each missing step once per subject responsible for it, and nothing clean', async () => {
    const { rows } = await pool.query<{ rule_id: string; subject_id: string }>('SELECT rule_id, subject_id FROM flag WHERE rule_id = ANY($1) ORDER BY rule_id, subject_id', [COMPLETENESS]);
    expect(rows.map((r) => `${r.rule_id}:${r.subject_id}`)).toEqual([
      'confirmed-without-notice:AP-1',
      'notice-not-delivered:reg',
      'source-id-gap:cam',
      'unreviewed-detection:AP-1',
    ]);
  });

  it('lists the violations of each roll-up, oldest first, late ones and expired ones included', async () => {
    const { rows } = await pool.query<{ rule_id: string; facts: Record<string, unknown> }>('SELECT rule_id, facts FROM flag WHERE rule_id = ANY($1)', [COMPLETENESS]);
    const facts = new Map(rows.map((r) => [r.rule_id, r.facts]));
    // V-STUCK waits still; V-EXPIRED expired undecided (an expiry is no decision); V-LATE was
    // rejected 40 days after its detection. V-Q5 (never assigned) counts for its camera's unit.
    expect(facts.get('unreviewed-detection')).toMatchObject({ detectionsDue: 8, detectionsUnreviewed: 3, unreviewedRefs: ['V-EXPIRED', 'V-LATE', 'V-STUCK'], unreviewedNotListed: 0 });
    expect(facts.get('confirmed-without-notice')).toMatchObject({ confirmationsDue: 4, confirmationsWithoutNotice: 1, withoutNoticeRefs: ['V-NO-NOTICE'] });
    // V-PAID was paid: a payment proves the notice reached the owner.
    expect(facts.get('notice-not-delivered')).toMatchObject({ noticesDue: 3, noticesUndelivered: 1, undeliveredRefs: ['V-UNDELIVERED'] });
  });

  it('names, as evidence, the events that started each violation\u2019s wait', async () => {
    // The flag's evidence column: the events the rule names as its evidence, as "source|eventId".
    const { rows } = await pool.query<{ rule_id: string; keys: string[] }>(
      `SELECT rule_id, (SELECT coalesce(array_agg((x->>'source') || '|' || (x->>'eventId')), '{}') FROM jsonb_array_elements(evidence) x) AS keys FROM flag WHERE rule_id = ANY($1)`,
      [COMPLETENESS],
    );
    const evidence = new Map(rows.map((r) => [r.rule_id, r.keys]));
    const evidenceOf = async (keys: string[] | undefined) =>
      (
        await pool.query<{ ref: string; type: string }>(
          "SELECT e.violation_ref AS ref, e.type FROM unnest($1::text[]) k JOIN ledger_event e ON e.source || '|' || e.event_id = k ORDER BY 1, 2",
          [keys ?? []],
        )
      ).rows.map((r) => `${r.ref}:${r.type}`);
    expect(await evidenceOf(evidence.get('unreviewed-detection'))).toEqual([
      'V-EXPIRED:detected', 'V-EXPIRED:review_assigned', 'V-LATE:detected', 'V-LATE:review_assigned', 'V-STUCK:detected', 'V-STUCK:review_assigned',
    ]);
    expect(await evidenceOf(evidence.get('confirmed-without-notice'))).toEqual(['V-NO-NOTICE:confirmed']);
    expect(await evidenceOf(evidence.get('notice-not-delivered'))).toEqual(['V-UNDELIVERED:notice_issued']);
  });

  it('explains each flag with the numbers behind it', async () => {
    const { rows } = await pool.query<{ rule_id: string; subject_id: string; explanation: { en: string } }>(
      'SELECT rule_id, subject_id, explanation FROM flag WHERE rule_id = ANY($1)',
      [COMPLETENESS],
    );
    const en = new Map(rows.map((r) => [r.rule_id, r.explanation.en]));
    expect(en.get('unreviewed-detection')).toMatch(/Unit AP-1: 3 of its 8 detections since .* \(37.5%\) were not confirmed, rejected or cancelled within 30 days of detection/u);
    expect(en.get('confirmed-without-notice')).toMatch(/Unit AP-1: 1 of the 4 violations its officers confirmed since .* got no notice within 10 days/u);
    expect(en.get('notice-not-delivered')).toMatch(/Source reg: 1 of the 3 notices it issued since .* were not delivered within 30 days of issue/u);
    expect(en.get('source-id-gap')).toMatch(/Source cam \(camera\) numbered 6 events in 1 sequences over 30 days, and 1 numbers .* in 1 gaps \(largest 1; first missing: SGK-000010\)/u);
  });

  it('computes the roll-ups of a few subjects as a sweep does', async () => {
    const window = windowEnding(AS_OF, 365, 'Asia/Almaty');
    const pick = (facts: { id: string; facts: Record<string, unknown> }[], id: string) => facts.find((f) => f.id === id)?.facts;
    const sweptUnit = pick(await computeFacts(pool, 'unit', window, { all: true }), 'AP-1');
    const oneUnit = await computeFacts(pool, 'unit', window, { ids: ['AP-1'] });
    expect(oneUnit.map((f) => f.id)).toEqual(['AP-1']);
    expect(pick(oneUnit, 'AP-1')).toEqual(sweptUnit);
    expect(sweptUnit).toMatchObject({ reviewLimitDays: 30, oldestUnreviewedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/u), windowFrom: '2025-06-30' });
    const oneSource = await computeFacts(pool, 'source', window, { ids: ['reg'] });
    expect(pick(oneSource, 'reg')).toMatchObject({ noticesUndelivered: 1, noticesNotJudged: 0, paymentsDue: 2, paymentsUnmatched: 1, unmatchedRefs: ['V-NOTICED'], paymentsNotJudged: 0 });
  });

  it('computes the source facts set-based: holes absent from the whole ledger, timestamps left as a non-sequence', async () => {
    const facts = await computeFacts(pool, 'source', windowEnding(AS_OF, 30, 'Asia/Almaty'), { all: true });
    const bySource = new Map(facts.map((f) => [f.id, f.facts]));
    expect(bySource.get('cam')).toMatchObject({ numberedEvents: 6, missingIds: 1, gaps: 1, largestGap: 1, firstMissingIds: ['SGK-000010'], evidenceEventIds: ['cam|SGK-000009', 'cam|SGK-000011'] });
    expect(bySource.get('reg')).toMatchObject({ missingIds: 0, gaps: 0 });
    expect(bySource.get('legacy')?.['missingShare']).toBeGreaterThan(0.99);
    const only = await computeFacts(pool, 'source', windowEnding(AS_OF, 30, 'Asia/Almaty'), { ids: ['cam'] });
    expect(only.map((f) => f.id)).toEqual(['cam']);
  });
});
