import type { PoolClient } from 'pg';
import { deriveViolation, type OrderedEvent } from '@qadaga/domain';
import { LEDGER_EVENT_COLUMNS, rowToEvent, type LedgerEventRow } from './ledger-row.js';

/** What the calling transaction itself just appended to one chain. */
export interface WrittenInTransaction {
  chainId: string;
  fromSeq: string;
  toSeq: string;
  events: OrderedEvent[];
}

/**
 * Rebuilds the read model of the given violations from all of their events, inside the
 * caller's transaction. Each violation is locked first (in sorted order, so concurrent
 * writers cannot deadlock) and read afterwards, so a writer that waited sees the events
 * the other one committed: the last projection always folds the whole timeline.
 */
export async function reprojectViolations(client: PoolClient, refs: readonly string[], written?: WrittenInTransaction): Promise<number> {
  if (refs.length === 0) return 0;
  const sorted = [...new Set(refs)].sort();
  await client.query('SELECT pg_advisory_xact_lock(hashtextextended(ref, 7)) FROM unnest($1::text[]) AS ref ORDER BY ref', [sorted]);
  const byRef = new Map<string, OrderedEvent[]>();
  const add = (ref: string, ordered: OrderedEvent) => {
    const list = byRef.get(ref) ?? [];
    list.push(ordered);
    byRef.set(ref, list);
  };
  // The events this transaction wrote are already in memory; only the others are read
  // back, which for new violations (the common case) is nothing.
  const { rows } =
    written === undefined
      ? await client.query<LedgerEventRow>(`SELECT ${LEDGER_EVENT_COLUMNS} FROM ledger_event WHERE violation_ref = ANY($1::text[])`, [sorted])
      : await client.query<LedgerEventRow>(
          `SELECT ${LEDGER_EVENT_COLUMNS} FROM ledger_event WHERE violation_ref = ANY($1::text[]) AND NOT (chain_id = $2 AND chain_seq BETWEEN $3 AND $4)`,
          [sorted, written.chainId, written.fromSeq, written.toSeq],
        );
  for (const row of rows) add(row.violation_ref, { event: rowToEvent(row), ledgerSeq: BigInt(row.id) });
  for (const ordered of written?.events ?? []) add(ordered.event.violationRef, ordered);
  const cols = {
    ref: [] as string[], status: [] as string[], plate: [] as (string | null)[], plateKey: [] as (string | null)[],
    detectedPlate: [] as (string | null)[], cameraId: [] as (string | null)[], district: [] as (string | null)[],
    article: [] as (string | null)[], fine: [] as (number | null)[], paid: [] as number[], owed: [] as number[],
    detectedAt: [] as (string | null)[], lastEventAt: [] as (string | null)[], bySource: [] as string[],
    officers: [] as string[], eventCount: [] as number[], anomalies: [] as string[], anomalyCount: [] as number[],
  };
  for (const [ref, events] of byRef) {
    const s = deriveViolation(ref, events);
    cols.ref.push(ref); cols.status.push(s.status); cols.plate.push(s.plate); cols.plateKey.push(s.plateKey);
    cols.detectedPlate.push(s.detectedPlate); cols.cameraId.push(s.cameraId); cols.district.push(s.district);
    cols.article.push(s.article); cols.fine.push(s.fineAmount); cols.paid.push(s.paidAmount); cols.owed.push(s.amountOwed);
    cols.detectedAt.push(s.detectedAt); cols.lastEventAt.push(s.lastEventAt); cols.bySource.push(JSON.stringify(s.statusBySource));
    // text[] cannot be nested in unnest, so officer ids travel as one JSON array per row.
    cols.officers.push(JSON.stringify(s.officerIds)); cols.eventCount.push(s.eventCount);
    cols.anomalies.push(JSON.stringify(s.anomalies)); cols.anomalyCount.push(s.anomalies.length);
  }
  await client.query(
    `INSERT INTO violation (ref, status, plate, plate_key, detected_plate, camera_id, district, article, fine_amount,
       paid_amount, amount_owed, detected_at, last_event_at, status_by_source, officer_ids, event_count, anomalies,
       anomaly_count, updated_at)
     SELECT v.ref, v.status, v.plate, v.plate_key, v.detected_plate, v.camera_id, v.district, v.article, v.fine,
       v.paid, v.owed, v.detected_at, v.last_event_at, v.by_source::jsonb,
       ARRAY(SELECT jsonb_array_elements_text(v.officers::jsonb)), v.event_count, v.anomalies::jsonb, v.anomaly_count, now()
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
       $9::numeric[], $10::numeric[], $11::numeric[], $12::timestamptz[], $13::timestamptz[], $14::text[], $15::text[],
       $16::int[], $17::text[], $18::int[])
       AS v(ref, status, plate, plate_key, detected_plate, camera_id, district, article, fine, paid, owed, detected_at,
            last_event_at, by_source, officers, event_count, anomalies, anomaly_count)
     ON CONFLICT (ref) DO UPDATE SET status = EXCLUDED.status, plate = EXCLUDED.plate, plate_key = EXCLUDED.plate_key,
       detected_plate = EXCLUDED.detected_plate, camera_id = EXCLUDED.camera_id, district = EXCLUDED.district,
       article = EXCLUDED.article, fine_amount = EXCLUDED.fine_amount, paid_amount = EXCLUDED.paid_amount,
       amount_owed = EXCLUDED.amount_owed, detected_at = EXCLUDED.detected_at, last_event_at = EXCLUDED.last_event_at,
       status_by_source = EXCLUDED.status_by_source, officer_ids = EXCLUDED.officer_ids, event_count = EXCLUDED.event_count,
       anomalies = EXCLUDED.anomalies, anomaly_count = EXCLUDED.anomaly_count, updated_at = now()`,
    [cols.ref, cols.status, cols.plate, cols.plateKey, cols.detectedPlate, cols.cameraId, cols.district, cols.article,
      cols.fine, cols.paid, cols.owed, cols.detectedAt, cols.lastEventAt, cols.bySource, cols.officers, cols.eventCount,
      cols.anomalies, cols.anomalyCount],
  );
  return byRef.size;
}
