import type { Queryable } from './queryable.js';

/** A pg Pool satisfies it: a connection of one's own, for session settings. */
export interface ConnectionSource {
  connect(): Promise<Queryable & { release(error?: Error | boolean): void }>;
}

/**
 * Settings for the connection that computes facts. The fact queries are large CTEs whose
 * row estimates run far above the truth (a join of window functions with per-officer
 * aggregates), so the planner expects billions of rows and JIT-compiles them: at 640k
 * events that compilation was 7 of 8 seconds of the officer query. Their sorts and hashes
 * spill to disk at the default 4 MB; at 10M events the officers' decisions of a year (1.7M
 * rows) sort in memory only from about 200 MB on. A sweep holds at most two such
 * connections. Set per session and reset before the connection goes back to the pool, so
 * no other query is affected.
 */
const FACT_SETTINGS = `SET jit = off; SET work_mem = '256MB'`;
const RESET_SETTINGS = 'RESET jit; RESET work_mem; RESET max_parallel_workers_per_gather';

export interface FactSessionOptions {
  /**
   * PostgreSQL's parallel workers for each of the session's queries
   * (max_parallel_workers_per_gather); absent keeps the server's setting. A sweep that
   * already runs one fact query per core gains nothing from more processes per query and
   * pays for them: a parallel aggregate over a million violations builds its groups once
   * per process and then once more to merge them.
   */
  parallelWorkers?: number;
}

export async function withFactSession<T>(pool: ConnectionSource, compute: (db: Queryable) => Promise<T>, options: FactSessionOptions = {}): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(FACT_SETTINGS);
    if (options.parallelWorkers !== undefined) {
      if (!Number.isInteger(options.parallelWorkers) || options.parallelWorkers < 0) throw new RangeError(`parallelWorkers must be a whole number of at least 0, not ${options.parallelWorkers}`);
      await client.query(`SET max_parallel_workers_per_gather = ${options.parallelWorkers}`);
    }
    return await compute(client);
  } catch (error) {
    broken = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    try {
      await client.query(RESET_SETTINGS);
      client.release();
    } catch (error) {
      // A connection that cannot be reset is dropped, never handed back with these settings.
      client.release(broken ?? (error instanceof Error ? error : new Error(String(error))));
    }
  }
}

/** Runs tasks at most `limit` at a time, in the order given; each result is its own promise. */
export function limitConcurrency(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    // A finishing task hands its slot straight to the next waiting one.
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else running += 1;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next === undefined) running -= 1;
      else next();
    }
  };
}
