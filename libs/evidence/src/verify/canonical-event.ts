import { canonicalEventForm } from '@qadaga/domain/hashing';
import { eventOfLine } from '../bundle/event-format.js';

class NotPlain extends Error {}

/** A parsed JSON value rebuilt with object keys in sorted order, which JSON.stringify keeps. */
function sortedKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(sortedKeys);
  const keys = Object.keys(value).sort();
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    // Integer-like keys enumerate in numeric order whatever the insertion order, and
    // __proto__ cannot be set as a plain key: both go to the reference implementation.
    const c = key.charCodeAt(0);
    if ((c >= 48 && c <= 57) || key === '__proto__') throw new NotPlain();
    out[key] = sortedKeys((value as Record<string, unknown>)[key]);
  }
  return out;
}

/**
 * The RFC 8785 form of the event inside a parsed events.ndjson line, byte for byte what
 * the domain's canonicalEventForm gives, at a fraction of its cost: JCS orders keys by
 * UTF-16 code units (as Array#sort does) and writes strings and numbers as JSON.stringify
 * does, so sorted objects through JSON.stringify give the same text. Whatever could
 * break that equivalence (integer-like keys, lone surrogates, which JSON.stringify
 * escapes and JCS refuses) is handed to the reference implementation.
 */
export function canonicalEventOfLine(line: Record<string, unknown>): string {
  let text: string | undefined;
  try {
    // Top-level keys in JCS order: actor, eventId, occurredAt, payload, recordedAt, source, type, violationRef.
    const form: Record<string, unknown> = { actor: sortedKeys(line['actor']), eventId: line['eventId'], occurredAt: line['occurredAt'], payload: sortedKeys(line['payload']) };
    if (line['recordedAt'] !== undefined) form['recordedAt'] = line['recordedAt'];
    form['source'] = line['source'];
    form['type'] = line['type'];
    form['violationRef'] = line['violationRef'];
    text = JSON.stringify(form);
  } catch (error) {
    if (!(error instanceof NotPlain)) throw error;
  }
  if (text !== undefined && !text.includes('\\ud')) return text;
  return canonicalEventForm(eventOfLine(line));
}
