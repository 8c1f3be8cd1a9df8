import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyField } from '@qadaga/ledger';

/** A COPY text field, escaped as the ledger writer escapes it (one rule, in libs/db). */
export const copyText = (value: string | null): string => copyField(value);

/** A ledger row as COPY text, columns in the order of LEDGER_COPY. */
export function ledgerCopyLine(values: (string | null)[]): string {
  return values.map(copyText).join('\t');
}

const LEDGER_COLUMNS = 'chain_id, chain_seq, source, event_id, violation_ref, type, occurred_at, recorded_at, actor_kind, actor_id, actor_unit, actor_workstation, payload, content_hash, chain_hash';

/**
 * Streams chunks of COPY text lines into ledger_event on one connection: the way benchmarks
 * fill the ledger fast. With `receivedAt`, each line ends with one more field, the time the
 * ledger received the row, which decides its monthly partition (a history of years is then
 * spread over its months as the product's own clock would have spread it); without it the
 * database's clock fills it, as for every row the product writes.
 */
export async function copyIntoLedger(pool: pg.Pool, chunks: Iterable<string> | AsyncIterable<string>, options: { receivedAt?: boolean } = {}): Promise<void> {
  const client = await pool.connect();
  try {
    const columns = options.receivedAt === true ? `${LEDGER_COLUMNS}, received_at` : LEDGER_COLUMNS;
    await pipeline(Readable.from(chunks), client.query(copyFrom(`COPY ledger_event (${columns}) FROM STDIN`)));
    // The ledger-wide keys the writer inserts beside its rows (idempotency across months):
    // every row copied without one gets it, so what the fill leaves is what ingest would have.
    await client.query(
      `INSERT INTO ledger_event_key (source, event_id, chain_id, chain_seq, content_hash)
       SELECT e.source, e.event_id, e.chain_id, e.chain_seq, e.content_hash FROM ledger_event e
       WHERE NOT EXISTS (SELECT 1 FROM ledger_event_key k WHERE k.source = e.source AND k.event_id = e.event_id)`,
    );
  } finally {
    client.release();
  }
}
