import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '@qadaga/db';
import { IngestPipeline, LedgerWriter } from '@qadaga/ledger';
import { resetLedger, testDatabaseUrl } from '@qadaga/db/testing';
import { profileHistoryDays, SOURCE_PROFILE_HISTORY_DAYS, sourceProfiles, windowEnding } from './index.js';
import { profilesOr } from './source-profiles.js';
import { registerThatStoppedDelivering } from './testing/index.js';

/**
 * A profile reads a bounded history, so its cost follows the period judged and not the
 * years the ledger keeps; a window longer than that history still gets a profile that
 * covers it.
 */
const pool = createPool({ url: testDatabaseUrl(), size: 2 });
const AS_OF = new Date('2026-06-30T12:00:00Z');
const { events, daysAgo } = registerThatStoppedDelivering(AS_OF);

beforeAll(async () => {
  await resetLedger(pool);
  const result = await new IngestPipeline(new LedgerWriter(pool)).ingest(events.map((value, index) => ({ index, value })), { allowedSource: null });
  expect(result.summary.accepted).toBe(events.length);
});
afterAll(async () => {
  await pool.end();
});

const registerOf = (profiles: readonly { source: string; eventTypes: Record<string, number | undefined>; firstAt: string }[]) => {
  const found = profiles.find((p) => p.source === 'reg');
  if (found === undefined) throw new Error('no profile of the register');
  return found;
};

describe('source profiles read a bounded history', () => {
  it('leaves out what a source sent before the history it reads, by default two years', async () => {
    expect(SOURCE_PROFILE_HISTORY_DAYS).toBe(730);
    const reg = registerOf(await sourceProfiles(pool, AS_OF));
    expect(reg.eventTypes).toEqual({ notice_issued: 1 });
    expect(reg.firstAt).toBe(daysAgo(39));
  });

  it('reads back as far as a longer window reaches, so such a window sees every step the source sent in it', async () => {
    expect(profileHistoryDays(365)).toBe(730);
    expect(profileHistoryDays(1825)).toBe(1825);
    const fiveYears = windowEnding(AS_OF, 1825, 'Asia/Almaty');
    const reg = registerOf(await profilesOr(pool, fiveYears, undefined));
    expect(reg.eventTypes).toEqual({ notice_issued: 2, notice_delivered: 1 });
    const oneYear = registerOf(await profilesOr(pool, windowEnding(AS_OF, 365, 'Asia/Almaty'), undefined));
    expect(oneYear.eventTypes).toEqual({ notice_issued: 1 });
  });

  it('keeps profiles given by the caller as they are', async () => {
    const given = await sourceProfiles(pool, AS_OF, 2000);
    expect(await profilesOr(pool, windowEnding(AS_OF, 30, 'Asia/Almaty'), given)).toBe(given);
  });
});
