import type { DatabaseError } from 'pg';

/** Anything that runs a query: a pool or one client inside a transaction. */
export interface Queryable {
  query<R extends object>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

/** The tables partitioned by month: the ledger by `received_at`, the access log by `at`. */
export type TimePartitionedTable = 'ledger_event' | 'access_log';

/** One month of a partitioned table, attached: rows with `from` <= time < `to`. */
export interface TimePartition {
  name: string;
  from: Date;
  to: Date;
}

/**
 * Months made ahead of the current one. Three leave a quarter for an operator to notice a
 * maintenance schedule that stopped before any write fails; each empty partition costs a
 * few pages.
 */
export const DEFAULT_MONTHS_AHEAD = 3;

/**
 * Makes every month of both tables from `fromMonth` (default: the current month, UTC) to
 * `monthsAhead` months after the current one that does not exist yet, and returns the names
 * it made. Idempotent and safe to run from several processes at once (the SQL function
 * serialises them); a month detached for archiving is not made again.
 */
export async function ensureTimePartitions(db: Queryable, options: { monthsAhead?: number; fromMonth?: Date } = {}): Promise<string[]> {
  const monthsAhead = options.monthsAhead ?? DEFAULT_MONTHS_AHEAD;
  if (!Number.isInteger(monthsAhead) || monthsAhead < 0 || monthsAhead > 120) {
    throw new RangeError(`monthsAhead must be a whole number from 0 to 120, not ${monthsAhead}`);
  }
  const from = options.fromMonth === undefined ? null : options.fromMonth.toISOString().slice(0, 10);
  const { rows } = await db.query<{ name: string }>('SELECT ensure_time_partitions($1::int, $2::date) AS name', [monthsAhead, from]);
  return rows.map((r) => r.name);
}

/**
 * Every attached partition of a table with its bounds, read back as timestamps by
 * PostgreSQL itself (so the comparison depends on neither the session's time zone nor the
 * bound's text form); a bound that is not a time (MINVALUE, MAXVALUE) is null.
 */
export async function partitionBounds(db: Queryable, table: TimePartitionedTable): Promise<{ name: string; from: Date | null; to: Date | null }[]> {
  const { rows } = await db.query<{ name: string; from: Date | null; to: Date | null }>(
    `SELECT c.relname AS name,
            (regexp_match(pg_get_expr(c.relpartbound, c.oid), $$FROM \\('([^']+)'\\)$$))[1]::timestamptz AS "from",
            (regexp_match(pg_get_expr(c.relpartbound, c.oid), $$TO \\('([^']+)'\\)$$))[1]::timestamptz AS "to"
     FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = $1::regclass
     ORDER BY 2`,
    [table],
  );
  return rows;
}

/** The attached months of a table, oldest first. */
export async function timePartitions(db: Queryable, table: TimePartitionedTable): Promise<TimePartition[]> {
  return (await partitionBounds(db, table)).flatMap((r) => (r.from === null || r.to === null ? [] : [{ name: r.name, from: r.from, to: r.to }]));
}

/**
 * A write for a month no partition was made for. Nothing of the write was stored (the
 * transaction failed whole); making the partitions and sending again stores it.
 */
export class MissingTimePartitionError extends Error {
  constructor(
    readonly table: TimePartitionedTable,
    detail: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(
      `${table} has no partition for the month being written${detail === undefined ? '' : ` (${detail})`}: nothing of this write was stored. ` +
        'Partitions are made ahead at every start of the API and the worker, daily by the worker, and by `qadaga ledger partitions`; run that, then send again.',
      options,
    );
    this.name = 'MissingTimePartitionError';
  }
}

/** PostgreSQL's refusal of a row that no partition of `table` accepts (SQLSTATE 23514). */
export function isMissingPartition(error: unknown, table: TimePartitionedTable): error is DatabaseError {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === '23514' && typeof message === 'string' && message.startsWith(`no partition of relation "${table}" found for row`);
}
