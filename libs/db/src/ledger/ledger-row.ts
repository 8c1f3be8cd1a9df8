import type { LifecycleEvent } from '@qadaga/domain';

/** A ledger_event row as node-postgres returns it (int8 as string, timestamptz as Date). */
export interface LedgerEventRow {
  id: string;
  chain_id: string;
  chain_seq: string;
  source: string;
  event_id: string;
  violation_ref: string;
  type: string;
  occurred_at: Date;
  recorded_at: Date | null;
  received_at: Date;
  actor_kind: string;
  actor_id: string;
  actor_unit: string | null;
  actor_workstation: string | null;
  payload: Record<string, unknown>;
  content_hash: string;
  chain_hash: string;
}

export const LEDGER_EVENT_COLUMNS =
  'id, chain_id, chain_seq, source, event_id, violation_ref, type, occurred_at, recorded_at, received_at, actor_kind, actor_id, actor_unit, actor_workstation, payload, content_hash, chain_hash';

/**
 * Rebuilds the event a source reported from its stored row. Verification hashes this,
 * so it must produce exactly the object that was hashed at ingestion: optional fields
 * that were absent stay absent.
 */
export function rowToEvent(row: LedgerEventRow): LifecycleEvent {
  const actor: LifecycleEvent['actor'] = { kind: row.actor_kind as LifecycleEvent['actor']['kind'], id: row.actor_id };
  if (row.actor_unit !== null) actor.unit = row.actor_unit;
  if (row.actor_workstation !== null) actor.workstation = row.actor_workstation;
  const event = {
    source: row.source,
    eventId: row.event_id,
    violationRef: row.violation_ref,
    type: row.type,
    occurredAt: row.occurred_at.toISOString(),
    actor,
    payload: row.payload,
  } as LifecycleEvent;
  if (row.recorded_at !== null) event.recordedAt = row.recorded_at.toISOString();
  return event;
}
