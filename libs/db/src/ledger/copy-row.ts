import type { LifecycleEvent } from '@qadaga/domain';

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

/** One full row: the chain's columns, then the tail prepared beforehand. */
export function ledgerCopyRow(chainId: string, seq: bigint, link: string, tail: string): string {
  return `${copyField(chainId)}\t${seq}\t${link}\t${tail}\n`;
}

const NEEDS_ESCAPE = /[\\\t\n\r]/u;

/** A text field of COPY's text format: NULL as \N; backslash, tab, newline and carriage return escaped. */
export function copyField(value: string | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(/[\\\t\n\r]/gu, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}
