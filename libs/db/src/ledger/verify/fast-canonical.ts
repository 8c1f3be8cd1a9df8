import { canonicalEventForm } from '@qadaga/domain/hashing';
import { rowToEvent } from '../ledger-row.js';
import type { CopyRow } from './copy-text.js';

/** Objects rebuilt with their keys in sorted order, which JSON.stringify then keeps. */
function sortedKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(sortedKeys);
  const keys = Object.keys(value);
  keys.sort();
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    // Integer-like keys are enumerated in numeric order whatever the insertion order, and
    // __proto__ cannot be assigned as a plain key: either leaves the form to the reference.
    const c = key.charCodeAt(0);
    if ((c >= 48 && c <= 57) || key === '__proto__') throw new NotPlain();
    out[key] = sortedKeys((value as Record<string, unknown>)[key]);
  }
  return out;
}

class NotPlain extends Error {}

/**
 * The RFC 8785 canonical form of a streamed row's event, byte for byte what the domain's
 * canonicalEventForm gives for rowToEvent of the same row, at a third of its cost: the
 * payload is parsed once and serialised by the engine's own JSON.stringify with keys
 * sorted (JCS orders keys by UTF-16 code units, as Array#sort does, and serialises
 * strings and numbers as JSON.stringify does). Whatever might break that equivalence
 * (integer-like keys, escaped surrogates) is handed to the reference implementation.
 */
export function canonicalRowForm(row: CopyRow): string {
  const payload = JSON.parse(row.payload) as Record<string, unknown>;
  let text: string | undefined;
  try {
    const actor: Record<string, string> = { id: row.actorId, kind: row.actorKind };
    if (row.actorUnit !== null) actor['unit'] = row.actorUnit;
    if (row.actorWorkstation !== null) actor['workstation'] = row.actorWorkstation;
    const form: Record<string, unknown> = { actor, eventId: row.eventId, occurredAt: row.occurredAt, payload: sortedKeys(payload) };
    if (row.recordedAt !== null) form['recordedAt'] = row.recordedAt;
    form['source'] = row.source;
    form['type'] = row.type;
    form['violationRef'] = row.violationRef;
    text = JSON.stringify(form);
  } catch (error) {
    if (!(error instanceof NotPlain)) throw error;
  }
  if (text !== undefined && !text.includes('\\ud')) return text;
  return canonicalEventForm(
    rowToEvent({
      id: row.id,
      chain_id: row.chainId,
      chain_seq: row.chainSeq,
      source: row.source,
      event_id: row.eventId,
      violation_ref: row.violationRef,
      type: row.type,
      occurred_at: new Date(row.occurredAt),
      recorded_at: row.recordedAt === null ? null : new Date(row.recordedAt),
      received_at: new Date(0),
      actor_kind: row.actorKind,
      actor_id: row.actorId,
      actor_unit: row.actorUnit,
      actor_workstation: row.actorWorkstation,
      payload,
      content_hash: row.contentHash,
      chain_hash: row.chainHash,
    }),
  );
}
