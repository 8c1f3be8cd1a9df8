import type { LifecycleEvent } from '@qadaga/domain';
import { contentHash } from '@qadaga/domain/hashing';
import { MAX_EVENT_NESTING, jsonNestsDeeperThan, validateLifecycleEvent, type FieldError, type IngestOutcome } from '@qadaga/contracts';
import { ledgerCopyRowTail, utf8Text } from './copy-row.js';
import { utf8Problem } from './ingest-utf8.js';
import { projectBatch, type BatchProjection } from './violation-projection.js';

/**
 * One item of a request: a parsed value, the JSON text of one event still to be parsed
 * (an NDJSON line: parsed where it is validated, so only its text crosses threads), or
 * the reason it could not even be read.
 */
export type RawItem = { index: number; value: unknown } | { index: number; json: string } | { index: number; parseError: string };

export type CheckedItem =
  | { ok: true; event: LifecycleEvent }
  | { ok: false; outcome: IngestOutcome & { status: 'rejected' }; wrongSource: boolean };

/**
 * A valid event as the thread that drives PostgreSQL needs it: what routes it, judges it
 * against the ledger and answers it, and its ledger row. The event object itself stays
 * where it was validated (an ingest thread): cloning it over for every event cost that
 * thread more time (and garbage) than anything it did with it. The rare paths that need
 * the whole event rebuild it from the row (eventFromCopyRowTail).
 */
export interface PreparedEvent {
  index: number;
  source: string;
  eventId: string;
  violationRef: string;
  contentHash: string;
  /**
   * Its ledger row in COPY text format, UTF-8 encoded, but for the chain's columns (see
   * copy-row.ts). The rows of one batch are views into one buffer (see PreparedColumns).
   */
  copyTail: Uint8Array;
}

/** The per-event work before the ledger is touched, once an event is known valid. */
export function prepareEvent(index: number, event: LifecycleEvent): PreparedEvent {
  const hash = contentHash(event);
  return {
    index,
    source: event.source,
    eventId: event.eventId,
    violationRef: event.violationRef,
    contentHash: hash,
    copyTail: Buffer.from(ledgerCopyRowTail(event, hash)),
  };
}

/**
 * A request's valid events as the writing thread needs them, field by field. Crossing
 * threads, an array per field clones at a third of the cost of an object per event, and
 * the rows' bytes are one buffer that is moved, not copied.
 */
export interface PreparedColumns {
  index: number[];
  source: string[];
  eventId: string[];
  violationRef: string[];
  contentHash: string[];
  /** Every event's ledger row (see PreparedEvent.copyTail), one after another: row i ends at rowEnds[i]. */
  rows: Uint8Array;
  rowEnds: Uint32Array;
}

/** A request's items, judged and prepared, with its violations' rows derived from its own events. */
export interface PreparedBatch {
  events: PreparedColumns;
  /** The verdicts of the items that are not valid events of the caller's source. */
  rejected: IngestOutcome[];
  projections: BatchProjection[];
}

/** The prepared events one by one, each row a view into the batch's buffer. */
export function preparedEvents(columns: PreparedColumns): PreparedEvent[] {
  const { index, source, eventId, violationRef, contentHash, rows, rowEnds } = columns;
  const events = new Array<PreparedEvent>(index.length);
  let start = 0;
  for (let i = 0; i < index.length; i += 1) {
    const end = rowEnds[i] as number;
    events[i] = {
      index: index[i] as number,
      source: source[i] as string,
      eventId: eventId[i] as string,
      violationRef: violationRef[i] as string,
      contentHash: contentHash[i] as string,
      copyTail: rows.subarray(start, end),
    };
    start = end;
  }
  return events;
}

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
  let value: unknown;
  if ('json' in item) {
    const parsed = parseEventText(item.json, item.index);
    if (!parsed.ok) return reject(null, [{ path: '(event)', message: parsed.message }]);
    value = parsed.value;
  } else value = item.value;
  const result = validateLifecycleEvent(value);
  if (!result.ok) return reject(eventIdOf(value), result.errors);
  if (allowedSource !== null && result.event.source !== allowedSource) {
    return reject(result.event.eventId, [{ path: 'source', message: `this key writes only events of source "${allowedSource}"` }], true);
  }
  return { ok: true, event: result.event };
}

/**
 * One event's JSON text (an NDJSON line) parsed, its nesting bounded first by a scan that
 * cannot overflow the stack, whatever the parser does with a deep text. Lines are
 * numbered from 1, as a source's editor numbers them.
 */
function parseEventText(text: string, index: number): { ok: true; value: unknown } | { ok: false; message: string } {
  if (jsonNestsDeeperThan(text, MAX_EVENT_NESTING)) return { ok: false, message: `line ${index + 1} nests deeper than ${MAX_EVENT_NESTING} levels` };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: `line ${index + 1} is not valid JSON: ${(error as Error).message}` };
  }
}

/** Everything done per event before the ledger is touched: validation, canonical form, hash; and the batch's projection rows. */
export function prepareItems(items: readonly RawItem[], allowedSource: string | null): PreparedBatch {
  const valid: { event: LifecycleEvent }[] = [];
  const rejected: IngestOutcome[] = [];
  const columns = { index: [] as number[], source: [] as string[], eventId: [] as string[], violationRef: [] as string[], contentHash: [] as string[] };
  const tails: string[] = [];
  for (const item of items) {
    const checked = checkItem(item, allowedSource);
    if (!checked.ok) {
      rejected.push(checked.outcome);
      continue;
    }
    valid.push(checked);
    // prepareEvent's work, written into the columns, the row left for encodeRows.
    const { event } = checked;
    const hash = contentHash(event);
    columns.index.push(item.index);
    columns.source.push(event.source);
    columns.eventId.push(event.eventId);
    columns.violationRef.push(event.violationRef);
    columns.contentHash.push(hash);
    tails.push(ledgerCopyRowTail(event, hash));
  }
  return { events: { ...columns, ...encodeRows(tails) }, rejected, projections: projectBatch(valid) };
}

/**
 * The rows encoded into one buffer of their own (never Node's shared pool of small
 * buffers, since the buffer may be moved to another thread), with where each row ends.
 * Row by row: joining them first and encoding the joined text took ten times as long
 * (95 against 10 ms for 95 batches of 1,000).
 */
function encodeRows(rows: readonly string[]): { rows: Uint8Array; rowEnds: Uint32Array } {
  let bytes = 0;
  for (const row of rows) bytes += Buffer.byteLength(row);
  const buffer = Buffer.allocUnsafeSlow(bytes);
  const rowEnds = new Uint32Array(rows.length);
  let at = 0;
  for (let i = 0; i < rows.length; i += 1) {
    at += buffer.write(rows[i] as string, at);
    rowEnds[i] = at;
  }
  return { rows: buffer, rowEnds };
}

/** The per-event work of one request, wherever it runs (an ingest thread, or the caller's). */
export type PrepareTask =
  | { kind: 'json'; body: string | Uint8Array; allowedSource: string | null; maxEvents: number }
  | { kind: 'items'; items: RawItem[]; allowedSource: string | null };

/** A JSON body that is not a plain array of events within the limit, handed back as its text. */
export interface NotABatch {
  notABatch: string;
}

/** A body whose bytes are not UTF-8, with where and why (nothing of it is written). */
export interface NotText {
  notText: string;
}

export function prepareTask(task: PrepareTask): PreparedBatch | NotABatch | NotText {
  if (task.kind === 'items') return prepareItems(task.items, task.allowedSource);
  if (typeof task.body !== 'string') {
    // Checked here, where the body is decoded, rather than by the thread that serves HTTP:
    // one scan of the bytes, off that thread.
    const problem = utf8Problem(task.body);
    if (problem !== undefined) return { notText: problem };
  }
  const text = withoutByteOrderMark(typeof task.body === 'string' ? task.body : utf8Text(task.body));
  return prepareJsonArray(text, task.allowedSource, task.maxEvents) ?? { notABatch: text };
}

/**
 * A leading byte order mark is not part of the JSON text. Fastify's parser drops it too;
 * left in, an array body took the path meant for bodies that are no batch, where its
 * parsed events crossed to an ingest thread by a recursive clone that a deep one overflowed.
 */
export function withoutByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * A JSON array body as text, parsed and prepared in one go. Answers undefined for
 * anything but a plain non-empty array of at most `maxEvents` items: the caller then
 * takes the ordinary path, whose parser and checks explain the problem. JSON.parse makes
 * a __proto__ or constructor key plain own data (it never sets a prototype), and every
 * object of the contract is strict, so such a key is refused as an unknown field by its
 * path, like any other; and V8's JSON.parse does not recurse, so a deep item is parsed
 * and then refused by the contract's shapes, which stop at the first wrong level.
 */
function prepareJsonArray(text: string, allowedSource: string | null, maxEvents: number): PreparedBatch | undefined {
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
