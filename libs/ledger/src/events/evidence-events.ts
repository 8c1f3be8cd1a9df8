import type pg from 'pg';
import { joinEventByKey } from '@qadaga/db';
import type { EvidenceEvent } from '@qadaga/contracts/api';
import type { ActorKind, EventType } from '@qadaga/domain';

/**
 * What each event a flag rests on was: its violation, type, instant and actor, read by
 * the (source, event id) key the flag holds, ordered by violation and time so a page can
 * group them. Keys the ledger does not hold are left out.
 */
export async function evidenceEvents(pool: Pick<pg.Pool, 'query'>, keys: readonly { source: string; eventId: string }[]): Promise<EvidenceEvent[]> {
  if (keys.length === 0) return [];
  const { rows } = await pool.query<{ source: string; event_id: string; violation_ref: string; type: string; occurred_at: Date; actor_kind: string; actor_id: string; actor_unit: string | null }>(
    `SELECT e.source, e.event_id, e.violation_ref, e.type, e.occurred_at, e.actor_kind, e.actor_id, e.actor_unit
     FROM unnest($1::text[], $2::text[]) AS k(source, event_id)
     ${joinEventByKey('k.source', 'k.event_id')}
     ORDER BY e.violation_ref, e.occurred_at, e.id`,
    [keys.map((k) => k.source), keys.map((k) => k.eventId)],
  );
  return rows.map((r) => ({
    source: r.source,
    eventId: r.event_id,
    violationRef: r.violation_ref,
    type: r.type as EventType,
    occurredAt: r.occurred_at.toISOString(),
    actor: { kind: r.actor_kind as ActorKind, id: r.actor_id, unit: r.actor_unit },
  }));
}
