import type pg from 'pg';

/** How a transaction begins: read-write, or a read-only snapshot every statement in it shares. */
export type TransactionMode = 'BEGIN' | 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';

/**
 * Runs `work` on one connection inside a transaction: committed when it returns, rolled
 * back when it throws (a failed rollback never hides the error that caused it), and the
 * connection always released. Written once, so no repository forgets one of the three.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, mode: TransactionMode = 'BEGIN'): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(mode);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
