import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, createPrismaClient, ReferenceRepository, RuleRepository } from '@qadaga/db';
import { IngestPipeline, LedgerWriter } from '@qadaga/ledger';
import { resetLedger, testDatabaseUrl } from '@qadaga/db/testing';
import { relayOutbox } from './outbox-relay.js';
import { evaluatePending } from './pending-evaluator.js';
import { RuleRunner } from './rule-runner.js';
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
    expect(bySubject).toContain('paid-without-treasury:V-unpaid');
    expect(bySubject.filter((s) => s.endsWith('V-fine'))).toEqual([]);
    const backdated = rows.find((r) => r.subject_id === 'V-backdated');
    expect(backdated?.explanation.en).toMatch(/72/u);
    expect(backdated?.evidence.length).toBeGreaterThan(0);
    expect(backdated?.evidence[0]?.contentHash).toMatch(/^[0-9a-f]{64}$/u);
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
});
