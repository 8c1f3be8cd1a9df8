import { afterAll, describe, expect, it } from 'vitest';
import { createPool } from '@qadaga/db';
import { testDatabaseUrl } from '@qadaga/db/testing';
import { limitConcurrency, withFactSession } from '@qadaga/facts';

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
