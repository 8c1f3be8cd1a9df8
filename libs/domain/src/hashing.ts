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

/** The exact object that is hashed: every field a source reported, nothing derived. */
export function canonicalEventForm(event: LifecycleEvent): string {
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
