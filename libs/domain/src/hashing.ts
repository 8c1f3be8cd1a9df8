import { hash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { LifecycleEvent } from './events.js';

/**
 * Tamper evidence. Each stored event gets a content hash over its RFC 8785 (JCS)
 * canonical JSON, and a chain hash that binds it to its chain position and to the
 * previous link. Editing, deleting, inserting or reordering a row breaks a link
 * that anyone can recompute from the rows alone.
 */

export const GENESIS_HASH = '0'.repeat(64);

/**
 * The exact object that is hashed: every field a source reported, nothing derived.
 * Serialised by the engine's JSON.stringify over objects rebuilt with sorted keys, which
 * is byte for byte RFC 8785 for plain JSON data (JCS orders keys by UTF-16 code units as
 * Array#sort does, and writes strings and numbers as JSON.stringify does) at a fraction
 * of a generic canonicaliser's cost. Whatever could break that equivalence is handed to
 * the reference implementation.
 */
export function canonicalEventForm(event: LifecycleEvent): string {
  try {
    const form: Record<string, unknown> = {
      actor: sortedPlain(event.actor),
      eventId: plainScalar(event.eventId),
      occurredAt: plainScalar(event.occurredAt),
      payload: sortedPlain(event.payload),
    };
    if (event.recordedAt !== undefined) form['recordedAt'] = plainScalar(event.recordedAt);
    form['source'] = plainScalar(event.source);
    form['type'] = plainScalar(event.type);
    form['violationRef'] = plainScalar(event.violationRef);
    const text = JSON.stringify(form);
    // A lone surrogate is escaped by JSON.stringify but refused by RFC 8785.
    if (!text.includes('\\ud')) return text;
  } catch (error) {
    if (!(error instanceof NotPlain)) throw error;
  }
  return referenceCanonicalEventForm(event);
}

/** RFC 8785 through the generic canonicaliser: the definition the fast form must equal. */
export function referenceCanonicalEventForm(event: LifecycleEvent): string {
  const form: Record<string, unknown> = {
    source: event.source,
    eventId: event.eventId,
    violationRef: event.violationRef,
    type: event.type,
    occurredAt: event.occurredAt,
    actor: event.actor,
    payload: event.payload,
  };
  if (event.recordedAt !== undefined) form['recordedAt'] = event.recordedAt;
  const text = canonicalize(form);
  if (text === undefined) throw new Error('event cannot be canonicalised');
  return text;
}

class NotPlain extends Error {}

function plainScalar(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (Number.isFinite(value)) return value;
      throw new NotPlain();
    default:
      if (value === null) return value;
      throw new NotPlain();
  }
}

/** A copy with every object's keys in sorted order; anything but plain JSON data throws NotPlain. */
function sortedPlain(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return plainScalar(value);
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i += 1) out[i] = sortedPlain(value[i]);
    return out;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  // Dates, boxed values and class instances serialise through toJSON or valueOf.
  if (proto !== Object.prototype && proto !== null) throw new NotPlain();
  const keys = Object.keys(value);
  keys.sort();
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    // Integer-like keys are enumerated in numeric order whatever the insertion order, and
    // __proto__ cannot be assigned as a plain key.
    const c = key.charCodeAt(0);
    if ((c >= 48 && c <= 57) || key === '__proto__') throw new NotPlain();
    out[key] = sortedPlain((value as Record<string, unknown>)[key]);
  }
  return out;
}

export function sha256Hex(text: string): string {
  // The one-shot form: several times faster than createHash for inputs this small.
  return hash('sha256', text, 'hex');
}

export function contentHash(event: LifecycleEvent): string {
  return sha256Hex(canonicalEventForm(event));
}

/** The link of one row: position in its chain, the previous link and the row's content hash. */
export function chainLink(seq: bigint | number, previousHash: string, rowContentHash: string): string {
  return sha256Hex(`${seq.toString()}\n${previousHash}\n${rowContentHash}`);
}
