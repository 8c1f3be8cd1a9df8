import type { PoolClient } from 'pg';
import { deriveViolation, type LifecycleEvent, type OrderedEvent, type ViolationState } from '@qadaga/domain';
import { MAX_AMOUNT } from '@qadaga/contracts';
import { LEDGER_EVENT_COLUMNS, rowToEvent, type LedgerEventRow } from './ledger-row.js';

/**
 * A violation's read-model row derived from one batch's own events, as JSON text, made
 * where the batch is validated and hashed (an ingest thread). It is the row the writer
 * would derive when the ledger holds no other event of the violation and every event
 * it folds is appended by one transaction, in batch order; the writer checks both.
 */
export interface BatchProjection {
  ref: string;
  /** The distinct events it folds: the first of each (source, event id) in the batch. */
  events: number;
  row: string;
}

/**
 * The projection rows of a batch's violations from its valid events, in the order the
 * writer will append them (their position stands in for the ledger ids, which grow in
 * that order). Later copies of an event id are left out, as the writer leaves them out.
 */
export function projectBatch(events: readonly { event: LifecycleEvent }[]): BatchProjection[] {
  const seen = new Map<string, Set<string>>();
  const byRef = new Map<string, OrderedEvent[]>();
  events.forEach(({ event }, position) => {
    const ids = seen.get(event.source) ?? new Set<string>();
    seen.set(event.source, ids);
    if (ids.has(event.eventId)) return;
    ids.add(event.eventId);
    const list = byRef.get(event.violationRef);
    if (list === undefined) byRef.set(event.violationRef, [{ event, ledgerSeq: position }]);
    else list.push({ event, ledgerSeq: position });
  });
  const out: BatchProjection[] = [];
  for (const [ref, list] of byRef) out.push({ ref, events: list.length, row: JSON.stringify(violationRow(deriveViolation(ref, list))) });
  return out;
}

/** What the calling transaction itself just appended to one chain. */
export interface WrittenInTransaction {
  chainId: string;
  fromSeq: string;
  toSeq: string;
  /** Each violation of the appended rows, with how many of them are its. */
  freshByRef: ReadonlyMap<string, number>;
  /** Rows derived beforehand from the request's own events, by violation. */
  drafts: ReadonlyMap<string, BatchProjection>;
}

/**
 * Rebuilds the read model of the given violations from all of their events, inside the
 * caller's transaction. Each violation is locked first (by bucket, see lockViolations) and
 * read afterwards, so a writer that waited sees the events
 * the other one committed: the last projection always folds the whole timeline.
 */
export async function reprojectViolations(client: PoolClient, refs: readonly string[]): Promise<number> {
  const sorted = [...new Set(refs)].sort();
  if (sorted.length === 0) return 0;
  await lockViolations(client, sorted);
  const { rows } = await client.query<LedgerEventRow>(`SELECT ${LEDGER_EVENT_COLUMNS} FROM ledger_event WHERE violation_ref = ANY($1::text[])`, [sorted]);
  const byRef = timelines(rows);
  await client.query(upsertSql(), [`[${[...byRef].map(([ref, events]) => JSON.stringify(violationRow(deriveViolation(ref, events)))).join(',')}]`]);
  return byRef.size;
}

/**
 * reprojectViolations for the violations the caller's transaction just appended to. A
 * row derived beforehand from the request's own events is stored as it is where it folds
 * the violation's whole timeline: all of its events are among those appended, and the
 * ledger holds no other event of the violation, which the same statement checks by one
 * index probe per violation (the common case, a new violation, reads nothing back).
 * Every other violation is folded from all of its stored rows.
 */
export async function projectAppended(client: PoolClient, written: WrittenInTransaction): Promise<number> {
  const sorted = [...written.freshByRef.keys()].sort();
  if (sorted.length === 0) return 0;
  await lockViolations(client, sorted);
  const drafted: string[] = [];
  for (const ref of sorted) {
    const draft = written.drafts.get(ref);
    if (draft !== undefined && draft.events === written.freshByRef.get(ref)) drafted.push(draft.row);
  }
  const stored = new Set<string>();
  if (drafted.length > 0) {
    const { rows } = await client.query<{ ref: string }>({
      name: 'violation-store-drafts',
      text: STORE_DRAFTS,
      values: [`[${drafted.join(',')}]`, written.chainId, written.fromSeq, written.toSeq],
    });
    for (const r of rows) stored.add(r.ref);
  }
  const rest = sorted.filter((ref) => !stored.has(ref));
  if (rest.length > 0) {
    const { rows } = await client.query<LedgerEventRow>(`SELECT ${LEDGER_EVENT_COLUMNS} FROM ledger_event WHERE violation_ref = ANY($1::text[])`, [rest]);
    const byRef = timelines(rows);
    await client.query(upsertSql(), [`[${rest.map((ref) => JSON.stringify(violationRow(deriveViolation(ref, byRef.get(ref) ?? [])))).join(',')}]`]);
  }
  return sorted.length;
}

/**
 * Writers of one violation are serialised by an advisory lock on its bucket, not on the
 * violation itself: PostgreSQL keeps every advisory lock in one shared table (about
 * max_locks_per_transaction x max_connections entries, 6,400 by default), and a 10,000-event
 * batch of distinct violations took as many locks, so a few such batches at once ran it out
 * of memory. Buckets bound a transaction to VIOLATION_LOCK_BUCKETS locks whatever its size.
 * Two large batches then share buckets and project one after the other, which costs only
 * the short projection step: their appends still run side by side on their own lanes.
 */
async function lockViolations(client: PoolClient, refs: readonly string[]): Promise<void> {
  await client.query({
    name: 'violation-lock',
    text: 'SELECT pg_advisory_xact_lock($1::int, b) FROM unnest($2::int[]) WITH ORDINALITY AS t(b, n) ORDER BY n',
    values: [VIOLATION_LOCK_SPACE, violationLockBuckets(refs)],
  });
}

/** Enough buckets that concurrent single events rarely wait on each other. */
export const VIOLATION_LOCK_BUCKETS = 256;
/** The advisory lock key space of the buckets (the first of the two-integer key). */
const VIOLATION_LOCK_SPACE = 0x76696f6c;

/**
 * The distinct buckets of the violations, ascending: every writer takes its locks in this
 * order, so two writers cannot deadlock. FNV-1a over the reference's UTF-16 code units: the
 * same reference lands in the same bucket in every process.
 */
export function violationLockBuckets(refs: Iterable<string>): number[] {
  const buckets = new Set<number>();
  for (const ref of refs) {
    let h = 0x811c9dc5;
    for (let i = 0; i < ref.length; i += 1) h = Math.imul(h ^ ref.charCodeAt(i), 0x01000193);
    buckets.add((h >>> 0) % VIOLATION_LOCK_BUCKETS);
  }
  return [...buckets].sort((a, b) => a - b);
}

function timelines(rows: readonly LedgerEventRow[]): Map<string, OrderedEvent[]> {
  const byRef = new Map<string, OrderedEvent[]>();
  for (const row of rows) {
    const ordered = { event: rowToEvent(row), ledgerSeq: BigInt(row.id) };
    const list = byRef.get(row.violation_ref);
    if (list === undefined) byRef.set(row.violation_ref, [ordered]);
    else list.push(ordered);
  }
  return byRef;
}

/**
 * The upsert of read-model rows given as one JSON text ($1) that PostgreSQL takes apart
 * (jsonb_to_recordset): JSON.stringify is native, where eighteen parallel arrays were each
 * escaped element by element by the driver.
 */
function upsertSql(where = '', returning = ''): string {
  return `INSERT INTO violation (ref, status, plate, plate_key, detected_plate, camera_id, district, article, fine_amount,
       paid_amount, amount_owed, detected_at, last_event_at, status_by_source, officer_ids, event_count, anomalies,
       anomaly_count, updated_at)
     SELECT v.ref, v.status, v.plate, v.plate_key, v.detected_plate, v.camera_id, v.district, v.article, v.fine,
       v.paid, v.owed, v.detected_at, v.last_event_at, v.by_source, v.officers, v.event_count, v.anomalies, v.anomaly_count, now()
     FROM jsonb_to_recordset($1::jsonb)
       AS v(ref text, status text, plate text, plate_key text, detected_plate text, camera_id text, district text, article text,
            fine numeric, paid numeric, owed numeric, detected_at timestamptz, last_event_at timestamptz, by_source jsonb,
            officers text[], event_count int, anomalies jsonb, anomaly_count int)
     ${where}
     ON CONFLICT (ref) DO UPDATE SET status = EXCLUDED.status, plate = EXCLUDED.plate, plate_key = EXCLUDED.plate_key,
       detected_plate = EXCLUDED.detected_plate, camera_id = EXCLUDED.camera_id, district = EXCLUDED.district,
       article = EXCLUDED.article, fine_amount = EXCLUDED.fine_amount, paid_amount = EXCLUDED.paid_amount,
       amount_owed = EXCLUDED.amount_owed, detected_at = EXCLUDED.detected_at, last_event_at = EXCLUDED.last_event_at,
       status_by_source = EXCLUDED.status_by_source, officer_ids = EXCLUDED.officer_ids, event_count = EXCLUDED.event_count,
       anomalies = EXCLUDED.anomalies, anomaly_count = EXCLUDED.anomaly_count, updated_at = now()
     ${returning}`;
}

/**
 * Prepared rows stored where the ledger holds no event of the violation but the caller's
 * ($2, $3..$4). A scalar subquery, not NOT EXISTS: the planner turns the latter into an
 * anti-join, which it may run as a scan of the whole ledger when its statistics are thin.
 * Like the lock, a named statement (prepared once per connection): every batch runs it.
 */
const STORE_DRAFTS = upsertSql(
  `WHERE (SELECT true FROM ledger_event e
          WHERE e.violation_ref = v.ref AND NOT (e.chain_id = $2 AND e.chain_seq BETWEEN $3 AND $4) LIMIT 1) IS NULL`,
  'RETURNING ref',
);

/** A violation's state as the upsert's record (see the column list of jsonb_to_recordset in upsertSql). */
function violationRow(s: ViolationState): Record<string, unknown> {
  return {
    ref: s.violationRef, status: s.status, plate: s.plate, plate_key: s.plateKey, detected_plate: s.detectedPlate, camera_id: s.cameraId,
    district: s.district, article: s.article, fine: readModelAmount(s.fineAmount), paid: readModelAmount(s.paidAmount), owed: readModelAmount(s.amountOwed),
    detected_at: s.detectedAt, last_event_at: s.lastEventAt, by_source: s.statusBySource, officers: s.officerIds,
    event_count: s.eventCount, anomalies: s.anomalies, anomaly_count: s.anomalies.length,
  };
}

/**
 * An amount as the read model's numeric(14,2) columns can hold it. The contract bounds
 * each event's amount to that range, but payments add up: two of 900 billion would fail
 * the transaction of every later event of the violation. The ledger keeps each amount
 * exactly; only this derived row saturates at the column's limit.
 */
function readModelAmount<T extends number | null>(value: T): T {
  if (value === null) return value;
  return Math.min(MAX_AMOUNT, Math.max(-MAX_AMOUNT, value)) as T;
}
