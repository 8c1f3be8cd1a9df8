import type { PoolClient } from 'pg';
import { LEDGER_EVENT_COLUMNS, type LedgerEventRow } from '../ledger-row.js';
import type { ArchiveMonth } from './archive-month.js';

/**
 * The month's rows in chain order (chain, position), through a cursor in the caller's
 * transaction, so they come from the same snapshot as the boundaries and any number of
 * them streams with bounded memory.
 */
export async function* monthRows(client: Pick<PoolClient, 'query'>, month: ArchiveMonth, batch = 2_000): AsyncGenerator<LedgerEventRow> {
  await client.query(
    `DECLARE archive_rows NO SCROLL CURSOR FOR
     SELECT ${LEDGER_EVENT_COLUMNS} FROM ledger_event WHERE received_at >= $1 AND received_at < $2 ORDER BY chain_id, chain_seq, id`,
    [month.from, month.to],
  );
  try {
    for (;;) {
      const { rows } = await client.query<LedgerEventRow>(`FETCH ${batch} FROM archive_rows`);
      if (rows.length === 0) break;
      yield* rows;
    }
  } finally {
    await client.query('CLOSE archive_rows').catch(() => undefined);
  }
}
