import { afterAll, describe, expect, it } from 'vitest';
import { createPool } from '@qadaga/db';
import { testDatabaseUrl } from '@qadaga/db/testing';
import { PartitionKeeper } from './partition-keeper.js';
import { timePartitions } from './time-partitions.js';

const pool = createPool({ url: testDatabaseUrl(), size: 2 });

function monthName(table: string, offset: number): string {
  const now = new Date();
  const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
  return `${table}_y${month.getUTCFullYear()}m${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
}

const far = [monthName('ledger_event', 6), monthName('access_log', 6)];
/** Every month the keeper said it made: none is left behind for the next spec file. */
const made: string[][] = [];

afterAll(async () => {
  for (const name of made.flat()) {
    const table = name.startsWith('ledger_event_') ? 'ledger_event' : 'access_log';
    await pool.query(`ALTER TABLE ${table} DETACH PARTITION ${name}`).catch(() => undefined);
    await pool.query(`DROP TABLE IF EXISTS ${name}`);
  }
  await pool.end();
});

describe('the partition keeper of a running process', () => {
  it('makes the months ahead when it starts, tells which, and makes nothing twice', async () => {
    const failed: unknown[] = [];
    const log = { made: (names: string[]) => made.push(names), failed: (error: unknown) => failed.push(error) };
    const keeper = new PartitionKeeper(pool, { monthsAhead: 6, log });
    await keeper.start();
    keeper.stop();
    expect(failed).toEqual([]);
    expect(made.flat()).toEqual(expect.arrayContaining(far));
    expect((await timePartitions(pool, 'ledger_event')).map((p) => p.name)).toContain(far[0]);

    const again = new PartitionKeeper(pool, { monthsAhead: 6, log });
    await again.start();
    again.stop();
    expect(made).toHaveLength(1);
  });

  it('logs a failure instead of throwing, so a process still starts', async () => {
    const failed: unknown[] = [];
    const keeper = new PartitionKeeper(pool, { monthsAhead: -1, log: { made: () => undefined, failed: (error) => failed.push(error) } });
    await expect(keeper.start()).resolves.toBeUndefined();
    keeper.stop();
    expect(String(failed[0])).toMatch(/monthsAhead must be a whole number/u);
  });
});
