import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, createPrismaClient, RuleRepository } from '@qadaga/db';
import { IngestPipeline, LedgerWriter } from '@qadaga/ledger';
import { resetLedger, testDatabaseUrl } from '@qadaga/db/testing';
import { registerThatStoppedDelivering } from '@qadaga/facts/testing';
import { longestWindow, RuleRunner } from './rule-runner.js';

/**
 * The runner reads source profiles over a bounded history: two years, or as far back as
 * the longest window it judges, so a five-year rule still sees what a source reported four
 * years ago while a sweep of one-year rules does not pay for the whole ledger.
 */
const pool = createPool({ url: testDatabaseUrl(), size: 4 });
const prisma = createPrismaClient(pool);
const AS_OF = new Date('2026-06-30T12:00:00Z');

beforeAll(async () => {
  await resetLedger(pool);
  const { events } = registerThatStoppedDelivering(AS_OF);
  const result = await new IngestPipeline(new LedgerWriter(pool)).ingest(events.map((value, index) => ({ index, value })), { allowedSource: null });
  expect(result.summary.accepted).toBe(events.length);
});
afterAll(async () => {
  await prisma.$disconnect();
  await pool.end();
});

describe('the source profiles a runner judges by', () => {
  it('reach back as far as the longest window judged, and two years at least', async () => {
    const runner = new RuleRunner(pool, new RuleRepository(prisma), 'Asia/Almaty');
    const register = async (windowDays: number) => (await runner.sourceProfiles(AS_OF, pool, windowDays)).find((p) => p.source === 'reg')?.eventTypes;
    expect(await register(365)).toEqual({ notice_issued: 1 });
    expect(await register(0)).toEqual({ notice_issued: 1 });
    expect(await register(1825)).toEqual({ notice_issued: 2, notice_delivered: 1 });
  });

  it('takes the longest window of the rules it is given', () => {
    expect(longestWindow([{ windowDays: 90 }, { windowDays: 1825 }, { windowDays: 365 }])).toBe(1825);
    expect(longestWindow([])).toBe(0);
  });
});
