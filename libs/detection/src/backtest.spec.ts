import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, createPrismaClient, IngestPipeline, LedgerWriter, ReferenceRepository, RuleRepository } from '@qadaga/db';
import { resetLedger, testDatabaseUrl } from '@qadaga/db/testing';
import { loadRulePack, type RuleDefinition } from '@qadaga/rules';
import { Backtester, publishedCounterpart } from './backtest.js';
import { installRulePack } from './install-rule-pack.js';
import { TINY_REFERENCE, lifecycle } from './testing.js';

const pool = createPool({ url: testDatabaseUrl(), size: 4 });
const prisma = createPrismaClient(pool);
const rules = new RuleRepository(prisma);
const day = 86_400_000;
const at = (days: number) => new Date(Date.now() - days * day).toISOString();
const range = { from: new Date(Date.now() - 60 * day), to: new Date() };
const backdated = () => structuredClone(loadRulePack().find((r) => r.id === 'backdated-cancellation')) as RuleDefinition;

beforeAll(async () => {
  await resetLedger(pool);
  await pool.query('TRUNCATE flag, flag_history, pending_evaluation, outbox_cursor, rule_version, rule, suppression, officer, vehicle, camera, dispatch CASCADE');
  await new ReferenceRepository(pool).load(TINY_REFERENCE);
  await installRulePack(rules);
  const officer = { kind: 'officer' as const, id: 'S1', unit: 'AP-1', workstation: 'WS-S1' };
  const events = lifecycle('V-late', [
    { type: 'detected', at: at(20), source: 'cam', actor: { kind: 'camera', id: 'C1' } },
    { type: 'cancelled', at: at(10), recordedAt: at(7), source: 'desk', actor: officer, payload: { reasonCode: 'appeal_granted', legalBasis: 'art. 826' } },
  ]);
  await new IngestPipeline(new LedgerWriter(pool)).ingest(events.map((value, index) => ({ index, value })), { allowedSource: null });
});
afterAll(async () => {
  await prisma.$disconnect();
  await pool.end();
});

describe('Backtester progress', () => {
  it('reports a rising percent after each phase, ending at 100, on a first and on a cached run', async () => {
    const backtester = new Backtester(pool, 'Asia/Almaty');
    const published = await publishedCounterpart(rules, 'backdated-cancellation');
    expect(published?.version).toBe(1);
    const first: number[] = [];
    const result = await backtester.run(backdated(), published, range, { onProgress: (p) => void first.push(p) });
    expect(result.flags.map((f) => f.subjectId)).toEqual(['V-late']);
    expect(result.timings.cachedFacts).toBe(false);
    expect(first.at(-1)).toBe(100);
    expect(first.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < first.length; i += 1) expect(first[i]).toBeGreaterThan(first[i - 1] as number);

    const moved = backdated();
    moved.parameters['minBackdatedHours']!.default = 200;
    const again: number[] = [];
    const strict = await backtester.run(moved, published, range, { onProgress: async (p) => void again.push(p) });
    expect(strict.timings.cachedFacts).toBe(true);
    expect(strict.diff.removed).toEqual(['V-late']);
    expect(again).toEqual(first);
  });

  it('waits for an asynchronous progress callback before going on', async () => {
    const order: string[] = [];
    await new Backtester(pool, 'Asia/Almaty').run(backdated(), null, range, {
      onProgress: async (p) => {
        await new Promise((r) => setTimeout(r, 5));
        order.push(`stored ${p}`);
      },
    });
    expect(order).toEqual(['stored 50', 'stored 75', 'stored 98', 'stored 100']);
  });

  it('compares with no published version when the stored one no longer validates', async () => {
    expect(await publishedCounterpart(rules, 'no-such-rule')).toBeNull();
    expect(await publishedCounterpart({ published: async () => ({ definition: { id: 'broken' }, version: 3 }) }, 'broken')).toBeNull();
  });
});
