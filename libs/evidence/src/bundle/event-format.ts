import type { LifecycleEvent } from '@qadaga/domain';
import type { BundleEvent } from './bundle-input.js';

/**
 * One events.ndjson line: the event's reported fields under their own names (exactly the
 * object the ledger hashed), then where it sits in its chain and its hashes.
 */
export function eventLine(e: BundleEvent): string {
  const ev = e.event;
  const line: Record<string, unknown> = {
    chainId: e.chainId,
    chainSeq: e.chainSeq,
    source: ev.source,
    eventId: ev.eventId,
    violationRef: ev.violationRef,
    type: ev.type,
    occurredAt: ev.occurredAt,
  };
  if (ev.recordedAt !== undefined) line['recordedAt'] = ev.recordedAt;
  line['actor'] = ev.actor;
  line['payload'] = ev.payload;
  if (e.receivedAt !== undefined) line['receivedAt'] = e.receivedAt;
  line['contentHash'] = e.contentHash;
  line['chainHash'] = e.chainHash;
  return JSON.stringify(line);
}

/** The reported event inside an events.ndjson line: the fields the content hash covers. */
export function eventOfLine(line: Record<string, unknown>): LifecycleEvent {
  const event: Record<string, unknown> = {
    source: line['source'],
    eventId: line['eventId'],
    violationRef: line['violationRef'],
    type: line['type'],
    occurredAt: line['occurredAt'],
    actor: line['actor'],
    payload: line['payload'],
  };
  if (line['recordedAt'] !== undefined) event['recordedAt'] = line['recordedAt'];
  return event as unknown as LifecycleEvent;
}

export const CSV_HEADER = [
  'chainId',
  'chainSeq',
  'source',
  'eventId',
  'violationRef',
  'type',
  'occurredAt',
  'recordedAt',
  'actorKind',
  'actorId',
  'actorUnit',
  'actorWorkstation',
  'payload',
  'receivedAt',
  'contentHash',
  'chainHash',
];

/** RFC 4180: quote a field only when it holds a quote, comma or line break. Values stay verbatim. */
function csvField(value: string): string {
  return /[",\r\n]/u.test(value) ? `"${value.replace(/"/gu, '""')}"` : value;
}

export function csvRow(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

export function eventCsvRow(e: BundleEvent): string {
  const ev = e.event;
  return csvRow([
    e.chainId,
    String(e.chainSeq),
    ev.source,
    ev.eventId,
    ev.violationRef,
    ev.type,
    ev.occurredAt,
    ev.recordedAt ?? '',
    ev.actor.kind,
    ev.actor.id,
    ev.actor.unit ?? '',
    ev.actor.workstation ?? '',
    JSON.stringify(ev.payload),
    e.receivedAt ?? '',
    e.contentHash,
    e.chainHash,
  ]);
}
