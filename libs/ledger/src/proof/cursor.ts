import type pg from 'pg';

/**
 * Rows of one query, fetched a batch at a time through a server-side cursor on a
 * connection of its own, so any number of rows streams with bounded memory. The
 * connection goes back to the pool when the rows run out or the reader stops early.
 */
export async function* cursorRows<T extends pg.QueryResultRow>(pool: pg.Pool, sql: string, params: unknown[], batch = 5_000): AsyncGenerator<T> {
  const client = await pool.connect();
  let open = false;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    open = true;
    await client.query(`DECLARE bundle_rows NO SCROLL CURSOR FOR ${sql}`, params);
    for (;;) {
      const { rows } = await client.query<T>(`FETCH ${batch} FROM bundle_rows`);
      if (rows.length === 0) break;
      yield* rows;
    }
    await client.query('COMMIT');
    open = false;
  } finally {
    if (open) await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}
