import type { LifecycleEvent } from '@qadaga/domain';
import { eventFromStoredFields } from './ledger-row.js';

/**
 * The ledger row of an event in PostgreSQL's COPY text format, without the three columns
 * only the writer knows once it holds a chain (chain id, position, link). Built where the
 * event is validated and hashed (an ingest thread), so the thread that drives PostgreSQL
 * only prefixes those three and streams the rows: COPY costs the database about half of
 * what an INSERT ... SELECT over a JSON array of the same events costs.
 */
export const LEDGER_COPY_COLUMNS =
  'chain_id, chain_seq, chain_hash, source, event_id, violation_ref, type, occurred_at, recorded_at, actor_kind, actor_id, actor_unit, actor_workstation, payload, content_hash';

export function ledgerCopyRowTail(event: LifecycleEvent, contentHash: string): string {
  const a = event.actor;
  return [
    copyField(event.source),
    copyField(event.eventId),
    copyField(event.violationRef),
    copyField(event.type),
    copyField(event.occurredAt),
    copyField(event.recordedAt),
    copyField(a.kind),
    copyField(a.id),
    copyField(a.unit),
    copyField(a.workstation),
    copyField(JSON.stringify(event.payload)),
    contentHash,
  ].join('\t');
}

/**
 * The COPY data of rows appended to one chain from `firstSeq` on: each row the chain's
 * columns, then the tail prepared (and encoded) beforehand, copied in as bytes: the
 * thread that drives PostgreSQL encodes only the three short chain columns.
 */
export function ledgerCopyData(chainId: string, firstSeq: bigint, links: readonly string[], tails: readonly Uint8Array[]): Buffer {
  const chain = `${copyField(chainId)}\t`;
  const heads = new Array<string>(tails.length);
  let bytes = 0;
  for (let i = 0; i < tails.length; i += 1) {
    const head = `${chain}${firstSeq + BigInt(i)}\t${links[i] as string}\t`;
    heads[i] = head;
    bytes += Buffer.byteLength(head) + (tails[i] as Uint8Array).byteLength + 1;
  }
  const data = Buffer.allocUnsafe(bytes);
  let at = 0;
  for (let i = 0; i < tails.length; i += 1) {
    const tail = tails[i] as Uint8Array;
    at += data.write(heads[i] as string, at);
    data.set(tail, at);
    at += tail.byteLength;
    data[at] = 0x0a;
    at += 1;
  }
  return data;
}

const NEEDS_ESCAPE = /[\\\t\n\r]/u;

/** A text field of COPY's text format: NULL as \N; backslash, tab, newline and carriage return escaped. */
export function copyField(value: string | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(/[\\\t\n\r]/gu, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/**
 * The event a row tail was built from, rebuilt as the verifier rebuilds a stored row
 * (same canonical form, same hash). The thread that drives PostgreSQL keeps only the
 * tail of each event; this serves the rare paths that need the whole event (a conflict
 * is recorded with its canonical form).
 */
export function eventFromCopyRowTail(tail: string | Uint8Array): LifecycleEvent {
  const row = typeof tail === 'string' ? tail : utf8Text(tail);
  const f = row.split('\t').map(copyFieldValue);
  const text = (i: number) => f[i] as string;
  return eventFromStoredFields({
    source: text(0),
    eventId: text(1),
    violationRef: text(2),
    type: text(3),
    occurredAt: text(4),
    recordedAt: f[5] ?? null,
    actorKind: text(6),
    actorId: text(7),
    actorUnit: f[8] ?? null,
    actorWorkstation: f[9] ?? null,
    payload: JSON.parse(text(10)) as unknown,
  });
}

/** UTF-8 bytes as text, without copying them first. */
export function utf8Text(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/**
 * The value of a text field of COPY's text format, the inverse of copyField: \N is NULL,
 * and every backslash escape COPY TO writes (\\, \t, \n, \r, \b, \f, \v; octal and hex are read too) is undone.
 */
export function copyFieldValue(raw: string): string | null {
  if (raw === '\\N') return null;
  if (!raw.includes('\\')) return raw;
  return raw.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/gu, (_, e: string) => {
    if (e.startsWith('x') && e.length > 1) return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/u.test(e)) return String.fromCharCode(parseInt(e, 8));
    return ESCAPES[e] ?? e;
  });
}
