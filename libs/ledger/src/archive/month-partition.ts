import type { PoolClient } from 'pg';
import { partitionBounds } from '../partitions/time-partitions.js';
import type { ArchiveMonth } from './archive-month.js';

/** How the month's rows are stored, decided from the catalogue at run time. */
export type MonthStorage =
  | { kind: 'unpartitioned' }
  /** A partition of ledger_event bounded by exactly this month. */
  | { kind: 'partition'; name: string }
  /** Partitioned, but no partition holds exactly this month: none (already detached), or a wider one. */
  | { kind: 'no_month_partition'; reason: string };

/** Finds the month's partition of ledger_event, if the table is partitioned (bounds as partitionBounds reads them). */
export async function monthStorage(client: Pick<PoolClient, 'query'>, month: ArchiveMonth): Promise<MonthStorage> {
  const partitioned = await client.query<{ p: boolean }>(`SELECT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = 'ledger_event'::regclass) AS p`);
  if (partitioned.rows[0]?.p !== true) return { kind: 'unpartitioned' };
  const rows = (await partitionBounds(client, 'ledger_event')).map((r) => ({ name: r.name, lower: r.from, upper: r.to }));
  const exact = rows.find((r) => r.lower?.getTime() === month.from.getTime() && r.upper?.getTime() === month.to.getTime());
  if (exact !== undefined) return { kind: 'partition', name: exact.name };
  const wider = rows.find((r) => (r.lower === null || r.lower.getTime() < month.to.getTime()) && (r.upper === null || r.upper.getTime() > month.from.getTime()));
  if (wider !== undefined) return { kind: 'no_month_partition', reason: `partition ${wider.name} holds more than ${month.month}; only a partition of exactly one month can be detached` };
  return { kind: 'no_month_partition', reason: `ledger_event has no partition for ${month.month} (already detached, or never made)` };
}

/**
 * Detaches the month's partition in the caller's transaction, then drops it or keeps it as
 * a table of its own. A plain DETACH waits for every reader of ledger_event: a lock timeout
 * turns a long wait behind a verification into a clear refusal instead of a stall of every
 * writer queued behind it.
 */
export async function detachMonthPartition(client: Pick<PoolClient, 'query' | 'escapeIdentifier'>, name: string, drop: boolean, lockTimeoutMs = 10_000): Promise<void> {
  await client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.floor(lockTimeoutMs))}`);
  await client.query(`ALTER TABLE ledger_event DETACH PARTITION ${client.escapeIdentifier(name)}`);
  if (drop) await client.query(`DROP TABLE ${client.escapeIdentifier(name)}`);
}
