import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlagDisplay, FlagPage } from '@qadaga/contracts/api';
import { createPool, createPrismaClient, FlagRepository, ReferenceRepository, RuleRepository } from '@qadaga/db';
import { evaluateRule, loadRulePack, type RuleDefinition } from '@qadaga/rules';
import { IngestPipeline, LedgerWriter } from '@qadaga/ledger';
import { resetLedger, testDatabaseUrl } from '@qadaga/db/testing';
import { relayOutbox } from './outbox-relay.js';
import { evaluatePending } from './pending-evaluator.js';
import { DisplayPeers, flagInputOf, MAX_DISPLAY_PEERS, RuleRunner } from './rule-runner.js';
import { installRulePack } from './install-rule-pack.js';
import { TINY_REFERENCE, lifecycle } from '@qadaga/facts/testing';

const pool = createPool({ url: testDatabaseUrl(), size: 6 });
const prisma = createPrismaClient(pool);
const rules = new RuleRepository(prisma);
const runner = new RuleRunner(pool, rules, 'Asia/Almaty');
const officer = (id: string) => ({ kind: 'officer' as const, id, unit: 'AP-1', workstation: `WS-${id}` });
const system = { kind: 'system' as const, id: 'reg' };

async function ingest(events: unknown[]): Promise<void> {
  await new IngestPipeline(new LedgerWriter(pool)).ingest(events.map((value, index) => ({ index, value })), { allowedSource: null });
}

beforeAll(async () => {
  await resetLedger(pool);
  await pool.query('TRUNCATE flag, flag_history, pending_evaluation, outbox_cursor, rule_version, rule, suppression, officer, vehicle, camera, dispatch CASCADE');
  await new ReferenceRepository(pool).load(TINY_REFERENCE);
  await installRulePack(rules);
  const now = Date.now();
  const day = 86_400_000;
  const at = (days: number) => new Date(now - days * day).toISOString();
  await ingest([
    // Cancelled by the supervisor, dated three days before it was recorded.
    ...lifecycle('V-backdated', [
      { type: 'detected', at: at(20), source: 'cam', actor: { kind: 'camera', id: 'C1' } },
      { type: 'confirmed', at: at(19), source: 'desk', actor: officer('O1') },
      { type: 'notice_issued', at: at(18), source: 'reg', actor: system, payload: { noticeNumber: 'N1' } },
      { type: 'cancelled', at: at(10), recordedAt: at(7), source: 'desk', actor: officer('S1'), payload: { reasonCode: 'appeal_granted', legalBasis: 'art. 826' } },
    ]),
    // Paid according to the register; the treasury never saw the money.
    ...lifecycle('V-unpaid', [
      { type: 'detected', at: at(30), source: 'cam', actor: { kind: 'camera', id: 'C1' } },
      { type: 'confirmed', at: at(29), source: 'desk', actor: officer('O2') },
      { type: 'notice_issued', at: at(28), source: 'reg', actor: system, payload: { noticeNumber: 'N2' } },
      { type: 'paid', at: at(25), source: 'reg', actor: system, payload: { amount: 7384 } },
    ]),
    // Paid in both systems: nothing to see.
    ...lifecycle('V-fine', [
      { type: 'detected', at: at(30), source: 'cam', actor: { kind: 'camera', id: 'C1' } },
      { type: 'confirmed', at: at(29), source: 'desk', actor: officer('O3') },
      { type: 'notice_issued', at: at(28), source: 'reg', actor: system, payload: { noticeNumber: 'N3' } },
      { type: 'paid', at: at(25), source: 'reg', actor: system, payload: { amount: 7384 } },
      { type: 'paid', at: at(24), source: 'tre', actor: { kind: 'treasury', id: 'tre' }, payload: { amount: 7384, paymentRef: 'T3' } },
    ]),
  ]);
});
afterAll(async () => {
  await prisma.$disconnect();
  await pool.end();
});

describe('from ingested events to explained flags', () => {
  it('relays the outbox, evaluates the touched subjects and raises flags that explain themselves', async () => {
    const relayed = await relayOutbox(pool);
    expect(relayed.events).toBe(13);
    const pending = await pool.query<{ n: string }>("SELECT count(*) AS n FROM pending_evaluation WHERE subject_kind = 'violation'");
    expect(Number(pending.rows[0]?.n)).toBe(3);

    const report = await evaluatePending(pool, runner);
    expect(report.invalid).toEqual([]);
    const { rows } = await pool.query<{ rule_id: string; subject_id: string; explanation: { en: string }; evidence: { eventId: string; contentHash: string }[] }>(
      'SELECT rule_id, subject_id, explanation, evidence FROM flag ORDER BY rule_id, subject_id',
    );
    const bySubject = rows.map((r) => `${r.rule_id}:${r.subject_id}`);
    expect(bySubject).toContain('backdated-cancellation:V-backdated');
    expect(bySubject.filter((s) => s.endsWith('V-fine'))).toEqual([]);
    // A payment with no treasury record is rolled up per source: sources are judged by the
    // sweeps, not on arrival, and the flag lists the violation.
    expect(bySubject.filter((s) => s.startsWith('paid-without-treasury'))).toEqual([]);
    await runner.evaluate({ asOf: new Date(), ruleIds: ['paid-without-treasury'] });
    const unpaid = await pool.query<{ subject_id: string; facts: { paymentsUnmatched: number; paymentsDue: number; unmatchedRefs: string[] } }>(
      "SELECT subject_id, facts FROM flag WHERE rule_id = 'paid-without-treasury'",
    );
    expect(unpaid.rows.map((r) => [r.subject_id, r.facts.paymentsUnmatched, r.facts.paymentsDue, r.facts.unmatchedRefs])).toEqual([['reg', 1, 2, ['V-unpaid']]]);
    const backdated = rows.find((r) => r.subject_id === 'V-backdated');
    expect(backdated?.explanation.en).toMatch(/72/u);
    expect(backdated?.evidence.length).toBeGreaterThan(0);
    expect(backdated?.evidence[0]?.contentHash).toMatch(/^[0-9a-f]{64}$/u);
    // The page draws the number the sentence gives: the fact, the parameter in force, the side.
    const stored = await pool.query<{ display: unknown[]; facts: { backdatedHours: number }; score: number }>(
      "SELECT display, facts, score FROM flag WHERE rule_id = 'backdated-cancellation' AND subject_id = 'V-backdated'",
    );
    const [flag] = stored.rows;
    expect(flag?.display).toEqual([
      {
        fact: 'backdatedHours',
        unit: 'hours',
        value: flag?.facts.backdatedHours,
        threshold: { value: 24, parameter: 'minBackdatedHours', fact: null },
        direction: 'above',
        inclusive: false,
        strength: 1 + ((flag?.facts.backdatedHours ?? 0) - 24) / 24,
        peers: null,
      },
    ]);
    expect(flag?.score).toBeCloseTo(1 + ((flag?.facts.backdatedHours ?? 0) - 24) / 24, 9);
    // The API answers it: every stored flag parses with the contract.
    const page = await new FlagRepository(pool).list({});
    expect(() => FlagPage.parse(page)).not.toThrow();
    expect(page.flags.every((f) => f.display.length > 0)).toBe(true);
    expect((await pool.query('SELECT 1 FROM pending_evaluation')).rowCount).toBe(0);
  });

  it('raises nothing twice: evaluating again refreshes the open flags', async () => {
    const before = await pool.query<{ n: string }>('SELECT count(*) AS n FROM flag');
    const again = await runner.evaluate({ asOf: new Date() });
    expect(again.raised).toBe(0);
    expect(again.refreshed).toBeGreaterThan(0);
    const after = await pool.query<{ n: string }>('SELECT count(*) AS n FROM flag');
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
    const history = await pool.query<{ n: string }>("SELECT count(*) AS n FROM flag_history WHERE action = 'raised'");
    expect(history.rows[0]?.n).toBe(before.rows[0]?.n);
  });

  it('never runs a published rule whose stored definition no longer validates', async () => {
    await pool.query(`INSERT INTO rule (id, published_version) VALUES ('broken', 1)`);
    await pool.query(
      `INSERT INTO rule_version (rule_id, version, status, definition, definition_hash, author_id) VALUES ('broken', 1, 'published', $1, 'x', 'someone')`,
      [JSON.stringify({ id: 'broken', subject: 'violation', conditions: { all: [{ fact: 'noSuchFact', operator: 'equal', value: true }] } })],
    );
    const report = await runner.evaluate({ asOf: new Date() });
    expect(report.invalid).toEqual(['broken@1']);
    const flags = await pool.query("SELECT 1 FROM flag WHERE rule_id = 'broken'");
    expect(flags.rowCount).toBe(0);
  });

  it("places a violation's flag where the violation happened: its district and camera", async () => {
    const day = 86_400_000;
    const at = (days: number) => new Date(Date.now() - days * day).toISOString();
    await ingest(
      lifecycle('V-placed', [
        { type: 'detected', at: at(20), source: 'cam', actor: { kind: 'camera', id: 'C1' },
          payload: { article: '592.1', plate: '222BBB02', cameraId: 'C1', place: { lat: 43.25, lon: 76.93, district: 'Almaly' }, fine: { amount: 7384 } } },
        { type: 'confirmed', at: at(19), source: 'desk', actor: officer('O1') },
        { type: 'cancelled', at: at(10), recordedAt: at(7), source: 'desk', actor: officer('S1'), payload: { reasonCode: 'appeal_granted', legalBasis: 'art. 826' } },
      ]),
    );
    await relayOutbox(pool);
    await evaluatePending(pool, runner);
    const { rows } = await pool.query<{ district: string | null; camera: string | null; facts_district: string | null }>(
      "SELECT district, facts->>'cameraId' AS camera, facts->>'district' AS facts_district FROM flag WHERE rule_id = 'backdated-cancellation' AND subject_id = 'V-placed'",
    );
    // The violation's facts carry its place, and the flag stores the district as its own.
    expect(rows).toEqual([{ district: 'Almaly', camera: 'C1', facts_district: 'Almaly' }]);
    // A violation the source placed nowhere gives its flag no district, but still its camera.
    const unplaced = await pool.query("SELECT district, facts->>'cameraId' AS camera FROM flag WHERE rule_id = 'backdated-cancellation' AND subject_id = 'V-backdated'");
    expect(unplaced.rows).toEqual([{ district: null, camera: 'C1' }]);
  });
});

describe('what a flag page draws', () => {
  const pack = loadRulePack();
  const ruleOf = (id: string) => pack.find((rule) => rule.id === id) as RuleDefinition;
  const officerFacts = (id: string, unit: string, facts: Record<string, unknown>) => ({
    id,
    facts: { unit, role: 'reviewer', decisions: 300, decisionsWhileAbsent: 0, workstationConflicts: 0, fastDecisions: 0, fastDecisionShare: 0, evidenceEventIds: [], ...facts, timedDecisions: facts['decisions'] ?? 300, untimedDecisions: 0 },
  });

  it('stores the entries that fired with every peer of the subject’s unit, the subject marked', async () => {
    const rule = ruleOf('rubber-stamping');
    const subjects = [
      officerFacts('O-STAMP', 'U1', { decisions: 92, fastDecisions: 12, fastDecisionShare: 12 / 92 }),
      ...Array.from({ length: 5 }, (_, i) => officerFacts(`O-U1-${i}`, 'U1', { fastDecisions: i, fastDecisionShare: i / 300 })),
      officerFacts('O-NULL', 'U1', { fastDecisionShare: null }),
      officerFacts('O-OTHER-UNIT', 'U2', { fastDecisionShare: 0.01 }),
    ];
    const verdicts = (await evaluateRule(rule, subjects)).filter((v) => v.fired);
    expect(verdicts.map((v) => v.subjectId)).toEqual(['O-STAMP']);
    const input = flagInputOf(rule, verdicts[0] as (typeof verdicts)[number], new DisplayPeers(subjects));
    expect(input.score).toBeGreaterThan(0);
    expect((input.display ?? [])).toHaveLength(1);
    const [shown] = (input.display ?? []);
    expect(FlagDisplay.parse(shown)).toEqual(shown);
    expect(shown).toMatchObject({ fact: 'fastDecisionShare', value: 12 / 92, threshold: { value: 0.05, parameter: 'minFastShare' }, direction: 'above', unit: 'share' });
    expect(shown?.peers).toMatchObject({ scope: 'unit', group: { unit: 'U1' }, total: 6, omitted: 0, withoutValue: 1 });
    expect(shown?.peers?.values.filter((peer) => peer.self)).toEqual([{ subjectId: 'O-STAMP', value: 12 / 92, self: true }]);
    expect(shown?.peers?.values.map((peer) => peer.subjectId)).not.toContain('O-OTHER-UNIT');
  });

  it('keeps the peers bounded, the lowest, the highest and the subject among them', async () => {
    const rule = ruleOf('officer-outlier-rate');
    const subjects = Array.from({ length: 450 }, (_, i) => ({
      id: `O${String(i).padStart(3, '0')}`,
      facts: { unit: 'U1', role: 'reviewer', decisions: 200, adverseActions: 10, adverseShare: 0.05, peerCount: 449, adverseRobustZ: (i % 30) / 10 - 1, adversePValue: 0.5, evidenceEventIds: [] },
    }));
    subjects[123] = { id: 'O123', facts: { ...subjects[123]!.facts, adverseActions: 80, adverseShare: 0.4, adverseRobustZ: 9.5, adversePValue: 1e-30 } };
    const [verdict] = (await evaluateRule(rule, subjects)).filter((v) => v.fired);
    const input = flagInputOf(rule, verdict!, new DisplayPeers(subjects));
    const peers = (input.display ?? [])[0]?.peers;
    expect(peers?.values).toHaveLength(MAX_DISPLAY_PEERS);
    expect(peers).toMatchObject({ scope: 'unitRole', group: { unit: 'U1', role: 'reviewer' }, total: 450, omitted: 450 - MAX_DISPLAY_PEERS, withoutValue: 0 });
    expect(peers?.values.at(0)?.value).toBe(-1);
    expect(peers?.values.at(-1)).toEqual({ subjectId: 'O123', value: 9.5, self: true });
    expect(input.score).toBeCloseTo(30, 9);
  });

  it('stores no peers when none are at hand, rather than a wrong group', async () => {
    const rule = ruleOf('rubber-stamping');
    const [verdict] = (await evaluateRule(rule, [officerFacts('O-ABSENT', 'U1', { decisionsWhileAbsent: 3 })])).filter((v) => v.fired);
    expect((flagInputOf(rule, verdict!).display ?? [])).toEqual([expect.objectContaining({ fact: 'decisionsWhileAbsent', value: 3, strength: 4, peers: null })]);
  });
});
