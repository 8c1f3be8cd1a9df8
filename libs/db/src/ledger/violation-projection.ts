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
  // The rows travel as one JSON text that PostgreSQL takes apart (jsonb_to_recordset):
  // JSON.stringify is native, where eighteen parallel arrays were each escaped element by
  // element by the driver.
  const upserts: Record<string, unknown>[] = [];
  for (const [ref, events] of byRef) {
    const s = deriveViolation(ref, events);
    upserts.push({
      ref, status: s.status, plate: s.plate, plate_key: s.plateKey, detected_plate: s.detectedPlate, camera_id: s.cameraId,
      district: s.district, article: s.article, fine: s.fineAmount, paid: s.paidAmount, owed: s.amountOwed,
      detected_at: s.detectedAt, last_event_at: s.lastEventAt, by_source: s.statusBySource, officers: s.officerIds,
      event_count: s.eventCount, anomalies: s.anomalies, anomaly_count: s.anomalies.length,
    });
  }
  await client.query(
    `INSERT INTO violation (ref, status, plate, plate_key, detected_plate, camera_id, district, article, fine_amount,
       paid_amount, amount_owed, detected_at, last_event_at, status_by_source, officer_ids, event_count, anomalies,
       anomaly_count, updated_at)
     SELECT v.ref, v.status, v.plate, v.plate_key, v.detected_plate, v.camera_id, v.district, v.article, v.fine,
       v.paid, v.owed, v.detected_at, v.last_event_at, v.by_source, v.officers, v.event_count, v.anomalies, v.anomaly_count, now()
     FROM jsonb_to_recordset($1::jsonb)
       AS v(ref text, status text, plate text, plate_key text, detected_plate text, camera_id text, district text, article text,
            fine numeric, paid numeric, owed numeric, detected_at timestamptz, last_event_at timestamptz, by_source jsonb,
            officers text[], event_count int, anomalies jsonb, anomaly_count int)
     ON CONFLICT (ref) DO UPDATE SET status = EXCLUDED.status, plate = EXCLUDED.plate, plate_key = EXCLUDED.plate_key,
       detected_plate = EXCLUDED.detected_plate, camera_id = EXCLUDED.camera_id, district = EXCLUDED.district,
       article = EXCLUDED.article, fine_amount = EXCLUDED.fine_amount, paid_amount = EXCLUDED.paid_amount,
       amount_owed = EXCLUDED.amount_owed, detected_at = EXCLUDED.detected_at, last_event_at = EXCLUDED.last_event_at,
       status_by_source = EXCLUDED.status_by_source, officer_ids = EXCLUDED.officer_ids, event_count = EXCLUDED.event_count,
       anomalies = EXCLUDED.anomalies, anomaly_count = EXCLUDED.anomaly_count, updated_at = now()`,
    [JSON.stringify(upserts)],
  );
  return byRef.size;
}
