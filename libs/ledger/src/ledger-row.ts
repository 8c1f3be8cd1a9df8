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

/** A stored event's columns as plain values: times in ISO form, the payload parsed. */
export interface StoredEventFields {
  source: string;
  eventId: string;
  violationRef: string;
  type: string;
  occurredAt: string;
  recordedAt: string | null;
  actorKind: string;
  actorId: string;
  actorUnit: string | null;
  actorWorkstation: string | null;
  payload: unknown;
}

/**
 * Rebuilds the event a source reported from its stored columns. Verification hashes this,
 * so it must produce exactly the object that was hashed at ingestion: optional fields
 * that were absent stay absent. Every reader of stored rows (the timeline, the verifier's
 * streamed rows) comes through here.
 */
export function eventFromStoredFields(f: StoredEventFields): LifecycleEvent {
  const actor: LifecycleEvent['actor'] = { kind: f.actorKind as LifecycleEvent['actor']['kind'], id: f.actorId };
  if (f.actorUnit !== null) actor.unit = f.actorUnit;
  if (f.actorWorkstation !== null) actor.workstation = f.actorWorkstation;
  const event = {
    source: f.source,
    eventId: f.eventId,
    violationRef: f.violationRef,
    type: f.type,
    occurredAt: f.occurredAt,
    actor,
    payload: f.payload,
  } as LifecycleEvent;
  if (f.recordedAt !== null) event.recordedAt = f.recordedAt;
  return event;
}

/** The event of a row read through node-postgres (timestamps as Dates, jsonb parsed). */
export function rowToEvent(row: LedgerEventRow): LifecycleEvent {
  return eventFromStoredFields({
    source: row.source,
    eventId: row.event_id,
    violationRef: row.violation_ref,
    type: row.type,
    occurredAt: row.occurred_at.toISOString(),
    recordedAt: row.recorded_at === null ? null : row.recorded_at.toISOString(),
    actorKind: row.actor_kind,
    actorId: row.actor_id,
    actorUnit: row.actor_unit,
    actorWorkstation: row.actor_workstation,
    payload: row.payload,
  });
}
