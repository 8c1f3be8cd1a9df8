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

const LEDGER_COPY =
  'COPY ledger_event (chain_id, chain_seq, source, event_id, violation_ref, type, occurred_at, recorded_at, actor_kind, actor_id, actor_unit, actor_workstation, payload, content_hash, chain_hash) FROM STDIN';

/** Streams chunks of COPY text lines into ledger_event on one connection: the way benchmarks fill the ledger fast. */
export async function copyIntoLedger(pool: pg.Pool, chunks: Iterable<string> | AsyncIterable<string>): Promise<void> {
  const client = await pool.connect();
  try {
    await pipeline(Readable.from(chunks), client.query(copyFrom(LEDGER_COPY)));
  } finally {
    client.release();
  }
}
