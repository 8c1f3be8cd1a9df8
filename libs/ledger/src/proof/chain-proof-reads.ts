import type pg from 'pg';
import { GENESIS_HASH } from '@qadaga/domain/hashing';
import { joinEventByKey, toCheckpoint, type CheckpointRow, type StoredCheckpoint } from '@qadaga/db';
import { LEDGER_EVENT_COLUMNS, type LedgerEventRow } from '../ledger-row.js';
import { cursorRows } from './cursor.js';

/**
 * The reads an evidence bundle's chain proofs are made of: which violations some events
 * belong to, where their events sit in the chains, the earliest signed checkpoint that
 * covers a position, and the links and rows between. Events and links stream from the
 * database (a server-side cursor each), so a bundle of any size is written with bounded
 * memory.
 */

/** The violations the given events (source, event id, pairwise) belong to, sorted. */
export async function violationRefsOfEvents(pool: pg.Pool, sources: readonly string[], eventIds: readonly string[]): Promise<string[]> {
  const { rows } = await pool.query<{ violation_ref: string }>(
    `SELECT DISTINCT e.violation_ref FROM unnest($1::text[], $2::text[]) AS k(source, event_id)
     ${joinEventByKey('k.source', 'k.event_id')} ORDER BY 1`,
    [sources, eventIds],
  );
  return rows.map((r) => r.violation_ref);
}

export interface ChainSpan {
  chainId: string;
  minSeq: number;
  maxSeq: number;
  events: number;
}

/** Per chain, the first and last position of the violations' events and how many there are, by chain id. */
export async function chainSpansOfViolations(pool: pg.Pool, refs: readonly string[]): Promise<ChainSpan[]> {
  const chains = await pool.query<{ chain_id: string; min_seq: string; max_seq: string; n: string }>(
    `SELECT chain_id, min(chain_seq) AS min_seq, max(chain_seq) AS max_seq, count(*) AS n
     FROM ledger_event WHERE violation_ref = ANY($1::text[]) GROUP BY chain_id ORDER BY chain_id`,
    [refs],
  );
  return chains.rows.map((c) => ({ chainId: c.chain_id, minSeq: Number(c.min_seq), maxSeq: Number(c.max_seq), events: Number(c.n) }));
}

/** The earliest stored checkpoint whose head of the chain is at or past `seq`, and that head's position. */
export async function earliestCheckpointCovering(pool: pg.Pool, chainId: string, seq: number): Promise<{ checkpoint: StoredCheckpoint; headSeq: number } | null> {
  const { rows } = await pool.query<CheckpointRow & { head_seq: string }>(
    `SELECT c.id, c.at, c.ledger_heads, c.access_log_head, c.key_id, c.public_key, c.signature, (h->>'seq')::bigint AS head_seq
     FROM ledger_checkpoint c CROSS JOIN LATERAL jsonb_array_elements(c.ledger_heads) AS h
     WHERE h->>'chainId' = $1 AND (h->>'seq')::bigint >= $2
     ORDER BY c.id LIMIT 1`,
    [chainId, seq],
  );
  const r = rows[0];
  if (r === undefined) return null;
  return {
    checkpoint: toCheckpoint(r),
    headSeq: Number(r.head_seq),
  };
}

/** The chain hash at a position; the genesis hash before the first. */
export async function chainHashAt(pool: pg.Pool, chainId: string, seq: number): Promise<string> {
  if (seq < 1) return GENESIS_HASH;
  const { rows } = await pool.query<{ chain_hash: string }>('SELECT chain_hash FROM ledger_event WHERE chain_id = $1 AND chain_seq = $2', [chainId, seq]);
  const hash = rows[0]?.chain_hash;
  if (hash === undefined) throw new Error(`chain ${chainId} has no row at position ${seq}`);
  return hash;
}

/** The links of one chain from `fromSeq` to `toSeq`, in order, streamed. */
export async function* chainLinks(pool: pg.Pool, chainId: string, fromSeq: number, toSeq: number): AsyncGenerator<{ seq: number; contentHash: string; chainHash: string }> {
  const rows = cursorRows<{ chain_seq: string; content_hash: string; chain_hash: string }>(
    pool,
    'SELECT chain_seq, content_hash, chain_hash FROM ledger_event WHERE chain_id = $1 AND chain_seq BETWEEN $2 AND $3 ORDER BY chain_seq',
    [chainId, fromSeq, toSeq],
  );
  for await (const r of rows) yield { seq: Number(r.chain_seq), contentHash: r.content_hash, chainHash: r.chain_hash };
}

/**
 * The rows of the violations' events, per chain only up to the position given, by chain
 * and position, streamed: rows arriving meanwhile cannot escape the proofs.
 */
export function violationEventRowsUpTo(pool: pg.Pool, refs: readonly string[], upTo: readonly { chainId: string; maxSeq: number }[]): AsyncGenerator<LedgerEventRow> {
  return cursorRows<LedgerEventRow>(
    pool,
    `SELECT ${LEDGER_EVENT_COLUMNS.split(', ').map((c) => `e.${c}`).join(', ')}
     FROM unnest($2::text[], $3::bigint[]) AS p(chain_id, max_seq)
     JOIN ledger_event e ON e.chain_id = p.chain_id AND e.chain_seq <= p.max_seq
     WHERE e.violation_ref = ANY($1::text[])
     ORDER BY e.chain_id, e.chain_seq`,
    [refs, upTo.map((p) => p.chainId), upTo.map((p) => p.maxSeq)],
  );
}
