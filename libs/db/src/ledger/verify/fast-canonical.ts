import type { LifecycleEvent } from '@qadaga/domain';
import { canonicalEventForm } from '@qadaga/domain/hashing';
import type { CopyRow } from './copy-text.js';

/**
 * The canonical form of a streamed row's event: the event is rebuilt straight from the
 * COPY text (times already in ISO form, the payload parsed once) and handed to the
 * domain's canonical form, so the verifier hashes exactly what ingestion hashed.
 */
export function canonicalRowForm(row: CopyRow): string {
  const actor: LifecycleEvent['actor'] = { kind: row.actorKind as LifecycleEvent['actor']['kind'], id: row.actorId };
  if (row.actorUnit !== null) actor.unit = row.actorUnit;
  if (row.actorWorkstation !== null) actor.workstation = row.actorWorkstation;
  const event = {
    source: row.source,
    eventId: row.eventId,
    violationRef: row.violationRef,
    type: row.type,
    occurredAt: row.occurredAt,
    actor,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
  } as LifecycleEvent;
  if (row.recordedAt !== null) event.recordedAt = row.recordedAt;
  return canonicalEventForm(event);
}
