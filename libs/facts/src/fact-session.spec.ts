import { afterAll, describe, expect, it } from 'vitest';
import { createPool } from '@qadaga/db';
import { testDatabaseUrl } from '@qadaga/db/testing';
import { limitConcurrency, withFactSession } from './index.js';

// One connection: whatever a fact session leaves behind, the next query meets it.
const pool = createPool({ url: testDatabaseUrl(), size: 1 });
afterAll(async () => {
  await pool.end();
});

const setting = async (name: string) => (await pool.query<{ v: string }>('SELECT current_setting($1) AS v', [name])).rows[0]?.v;

describe('fact sessions', () => {
  it('compute without JIT and with room to sort, then hand the connection back as it was', async () => {
    const [jit, workMem] = [await setting('jit'), await setting('work_mem')];
    const inside = await withFactSession(pool, async (db) => (await db.query<{ jit: string; mem: string }>(`SELECT current_setting('jit') AS jit, current_setting('work_mem') AS mem`)).rows[0]);
    expect(inside).toEqual({ jit: 'off', mem: '256MB' });
    expect([await setting('jit'), await setting('work_mem')]).toEqual([jit, workMem]);
  });

  it('run without parallel workers when asked, and leave the server default to the next user', async () => {
    const before = await setting('max_parallel_workers_per_gather');
    expect(before).not.toBe('0');
    const inside = await withFactSession(pool, async (db) => (await db.query<{ v: string }>(`SELECT current_setting('max_parallel_workers_per_gather') AS v`)).rows[0]?.v, { parallelWorkers: 0 });
    expect(inside).toBe('0');
    expect(await setting('max_parallel_workers_per_gather')).toBe(before);
    const untouched = await withFactSession(pool, async (db) => (await db.query<{ v: string }>(`SELECT current_setting('max_parallel_workers_per_gather') AS v`)).rows[0]?.v);
    expect(untouched).toBe(before);
  });

  it('refuse a parallel worker count that is not a whole number of at least 0', async () => {
    await expect(withFactSession(pool, async () => 1, { parallelWorkers: -1 })).rejects.toThrow(/parallelWorkers/u);
    await expect(withFactSession(pool, async () => 1, { parallelWorkers: 1.5 })).rejects.toThrow(/parallelWorkers/u);
    expect(await setting('work_mem')).not.toBe('256MB');
  });

  it('reset the connection when the computation fails, and pass the failure on', async () => {
    await expect(withFactSession(pool, (db) => db.query('SELECT 1 / 0'))).rejects.toThrow(/division by zero/u);
    expect(await setting('work_mem')).not.toBe('256MB');
  });
});

describe('limitConcurrency', () => {
  it('never runs more tasks at once than allowed, and runs them all', async () => {
    const slot = limitConcurrency(2);
    let running = 0;
    let peak = 0;
    const task = (ms: number) => async () => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, ms));
      running -= 1;
      return ms;
    };
    const results = await Promise.all([5, 1, 3, 2, 4, 1].map((ms) => slot(task(ms))));
    expect(results).toEqual([5, 1, 3, 2, 4, 1]);
    expect(peak).toBe(2);
  });
});
