import pg from 'pg';
import { copyFieldValue } from '../copy-row.js';
import type { StoredEventFields } from '../ledger-row.js';

/**
 * The columns verification reads, in the order of the COPY that streams them. The
 * session runs with TimeZone UTC and DateStyle ISO so timestamps come as
 * `2026-01-01 00:00:00.123+00`.
 */
export const VERIFY_COLUMNS =
  'id, chain_id, chain_seq, source, event_id, violation_ref, type, occurred_at, recorded_at, actor_kind, actor_id, actor_unit, actor_workstation, payload, content_hash, chain_hash';

/**
 * A streamed row: an event's stored fields (see ledger-row.ts) as PostgreSQL wrote them, the
 * payload still as its JSON text, timestamps already in the ISO form the event carries,
 * and the row's place in its chain.
 */
export interface CopyRow extends Omit<StoredEventFields, 'payload'> {
  id: string;
  chainId: string;
  chainSeq: string;
  payload: string;
  contentHash: string;
  chainHash: string;
}

/** A column that is never NULL. */
function unescapeField(raw: string): string {
  return copyFieldValue(raw) ?? raw;
}

const parsePgTimestamp = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ) as (text: string) => Date;
const UTC_TIMESTAMP = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,3}))?\+00$/u;

/**
 * What `Date#toISOString` gives for the instant node-postgres would parse from this text;
 * the common form is rewritten directly, anything else goes through the driver's parser.
 */
export function isoTimestamp(text: string): string {
  const m = UTC_TIMESTAMP.exec(text);
  if (m === null) return parsePgTimestamp(text).toISOString();
  return `${m[1]}T${m[2]}.${`${m[3] ?? ''}000`.slice(0, 3)}Z`;
}

/** One line of `COPY (SELECT VERIFY_COLUMNS ...) TO STDOUT`. */
export function parseCopyLine(line: string): CopyRow {
  const f = line.split('\t');
  if (f.length !== 16) throw new Error(`ledger row with ${f.length} columns, expected 16`);
  const [id, chainId, chainSeq, source, eventId, violationRef, type, occurredAt, recordedAt, actorKind, actorId, actorUnit, actorWorkstation, payload, contentHash, chainHash] = f as [
    string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string,
  ];
  const recorded = copyFieldValue(recordedAt);
  return {
    id,
    chainId: unescapeField(chainId),
    chainSeq,
    source: unescapeField(source),
    eventId: unescapeField(eventId),
    violationRef: unescapeField(violationRef),
    type: unescapeField(type),
    occurredAt: isoTimestamp(occurredAt),
    recordedAt: recorded === null ? null : isoTimestamp(recorded),
    actorKind: unescapeField(actorKind),
    actorId: unescapeField(actorId),
    actorUnit: copyFieldValue(actorUnit),
    actorWorkstation: copyFieldValue(actorWorkstation),
    payload: unescapeField(payload),
    contentHash: unescapeField(contentHash),
    chainHash: unescapeField(chainHash),
  };
}
