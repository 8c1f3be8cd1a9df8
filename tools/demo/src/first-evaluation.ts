import { createPool } from '@qadaga/db';
import { pendingSubjectCount } from '@qadaga/ledger';
import { outboxLag } from '@qadaga/detection';

export interface Settled {
  /** Flags waiting for a prosecutor's decision (new or triaged) once the worker settled. */
  openFlags: number;
  seconds: number;
}

/**
 * Waits until the worker has evaluated everything the load marked: no committed event
 * left unrelayed and no subject left pending, seen twice in a row a poll apart (the relay
 * and the evaluation run on schedules, so one empty look can fall between them). Only then
 * is a count of open flags a number that stays.
 */
export async function waitForFirstEvaluation(databaseUrl: string, options: { timeoutMs: number; pollMs?: number; onProgress?: (lag: number, pending: number) => void }): Promise<Settled> {
  const pool = createPool({ url: databaseUrl, size: 1, applicationName: 'qadaga-demo-settle' });
  const started = Date.now();
  const poll = options.pollMs ?? 1_000;
  try {
    let quiet = 0;
    let lastReport = 0;
    while (quiet < 2) {
      if (Date.now() - started > options.timeoutMs) throw new Error(`the worker had not settled after ${Math.round(options.timeoutMs / 1000)} s`);
      await new Promise((resolve) => setTimeout(resolve, poll));
      const [lag, pending] = await Promise.all([outboxLag(pool), pendingSubjectCount(pool)]);
      quiet = lag === 0 && pending === 0 ? quiet + 1 : 0;
      if (quiet === 0 && Date.now() - lastReport > 10_000) {
        options.onProgress?.(lag, pending);
        lastReport = Date.now();
      }
    }
    const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM flag WHERE status IN ('new', 'triaged')`);
    return { openFlags: Number(rows[0]?.n ?? 0), seconds: (Date.now() - started) / 1000 };
  } finally {
    await pool.end();
  }
}
