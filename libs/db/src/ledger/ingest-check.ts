import type { LifecycleEvent } from '@qadaga/domain';
import { canonicalEventForm, sha256Hex } from '@qadaga/domain/hashing';
import { validateLifecycleEvent, type FieldError, type IngestOutcome } from '@qadaga/contracts';
import { ledgerCopyRowTail } from './copy-row.js';

/** One item of a request: a parsed value, or the reason it could not even be parsed. */
export type RawItem = { index: number; value: unknown } | { index: number; parseError: string };

export type CheckedItem =
  | { ok: true; event: LifecycleEvent }
  | { ok: false; outcome: IngestOutcome & { status: 'rejected' }; wrongSource: boolean };

/**
 * A valid event with its content hash, ready for the ledger. Its canonical form is not
 * kept: it crosses from an ingest thread to the main one for every event, and is needed
 * again only to record a conflict, which is rare and can recompute it.
 */
export interface PreparedEvent {
  index: number;
  event: LifecycleEvent;
  contentHash: string;
  /** Its ledger row in COPY text format, but for the chain's columns (see copy-row.ts). */
  copyTail: string;
}

/** The per-event work before the ledger is touched, once an event is known valid. */
export function prepareEvent(index: number, event: LifecycleEvent): PreparedEvent {
  const contentHash = sha256Hex(canonicalEventForm(event));
  return { index, event, contentHash, copyTail: ledgerCopyRowTail(event, contentHash) };
}

export type PreparedItem = ({ ok: true } & PreparedEvent) | Extract<CheckedItem, { ok: false }>;

/**
 * One item's verdict before any write: parsed, valid against the contract, and of the
 * source the caller may write. Shared by batches and single-event requests.
 */
export function checkItem(item: RawItem, allowedSource: string | null): CheckedItem {
  const reject = (eventId: string | null, reasons: FieldError[], wrongSource = false): CheckedItem => ({
    ok: false,
    outcome: { index: item.index, eventId, status: 'rejected', reasons },
    wrongSource,
  });
  if ('parseError' in item) return reject(null, [{ path: '(event)', message: item.parseError }]);
  const result = validateLifecycleEvent(item.value);
  if (!result.ok) return reject(eventIdOf(item.value), result.errors);
  if (allowedSource !== null && result.event.source !== allowedSource) {
    return reject(result.event.eventId, [{ path: 'source', message: `this key writes only events of source "${allowedSource}"` }], true);
  }
  return { ok: true, event: result.event };
}

/** Everything done per event before the ledger is touched: validation, canonical form, hash. */
export function prepareItems(items: readonly RawItem[], allowedSource: string | null): PreparedItem[] {
  return items.map((item) => {
    const checked = checkItem(item, allowedSource);
    if (!checked.ok) return checked;
    return { ok: true, ...prepareEvent(item.index, checked.event) };
  });
}

/**
 * A JSON array body as text, parsed and prepared in one go. Answers undefined for
 * anything but a plain non-empty array of at most `maxEvents` items, and for any text
 * that names __proto__ or constructor: the caller then takes the ordinary path, whose
 * parser and checks explain the problem as they always have.
 */
export function prepareJsonArray(text: string, allowedSource: string | null, maxEvents: number): PreparedItem[] | undefined {
  if (text.includes('__proto__') || text.includes('constructor')) return undefined;
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(values) || values.length === 0 || values.length > maxEvents) return undefined;
  return prepareItems(
    values.map((value: unknown, index) => ({ index, value })),
    allowedSource,
  );
}

function eventIdOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const id = (value as { eventId?: unknown }).eventId;
  return typeof id === 'string' ? id : null;
}
