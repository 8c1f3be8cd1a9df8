import type { LifecycleEvent } from '@qadaga/domain';
import { validateLifecycleEvent, type FieldError, type IngestOutcome, type IngestResponse } from '@qadaga/contracts';
import type { IndexedEvent, LedgerWriter } from './ledger-writer.js';

/** One item of a request: a parsed value, or the reason it could not even be parsed. */
export type RawItem = { index: number; value: unknown } | { index: number; parseError: string };

/**
 * Validation and authorisation per event, then one durable write for everything that
 * passed. A bad event is answered with its reasons and never sinks the others.
 */
export class IngestPipeline {
  constructor(private readonly writer: LedgerWriter) {}

  async ingest(items: readonly RawItem[], options: { allowedSource: string | null }): Promise<IngestResponse> {
    const valid: IndexedEvent[] = [];
    const rejected: IngestOutcome[] = [];
    for (const item of items) {
      const checked = checkItem(item, options.allowedSource);
      if (checked.ok) valid.push({ index: item.index, event: checked.event });
      else rejected.push(checked.outcome);
    }
    const written = valid.length > 0 ? await this.writer.write(valid) : { outcomes: [], violations: 0 };
    const results = [...written.outcomes, ...rejected].sort((a, b) => a.index - b.index);
    let accepted = 0;
    let duplicates = 0;
    for (const r of results) {
      if (r.status === 'accepted') accepted += 1;
      else if (r.status === 'duplicate') duplicates += 1;
    }
    return {
      summary: { accepted, duplicates, rejected: results.length - accepted - duplicates, violations: written.violations },
      results,
    };
  }
}

export interface StreamTotals {
  accepted: number;
  duplicates: number;
  rejected: number;
  seconds: number;
}

/**
 * Feeds a stream of events (a simulated city, an export) through the pipeline in
 * batches, with a few transactions in flight so producing the next batch overlaps with
 * writing the last. Loading the same stream twice only yields duplicates.
 */
export async function ingestStream(
  pipeline: IngestPipeline,
  events: Iterable<unknown>,
  options: { batchSize?: number; inFlight?: number; onProgress?: (totals: StreamTotals) => void } = {},
): Promise<StreamTotals> {
  const batchSize = options.batchSize ?? 5_000;
  const maxInFlight = options.inFlight ?? 2;
  const started = performance.now();
  const totals: StreamTotals = { accepted: 0, duplicates: 0, rejected: 0, seconds: 0 };
  const pending: Promise<void>[] = [];
  const write = (batch: RawItem[]) =>
    pipeline.ingest(batch, { allowedSource: null }).then(({ summary }) => {
      totals.accepted += summary.accepted;
      totals.duplicates += summary.duplicates;
      totals.rejected += summary.rejected;
      options.onProgress?.({ ...totals, seconds: (performance.now() - started) / 1000 });
    });
  let batch: RawItem[] = [];
  for (const value of events) {
    batch.push({ index: batch.length, value });
    if (batch.length === batchSize) {
      pending.push(write(batch));
      batch = [];
      if (pending.length >= maxInFlight) await pending.shift();
    }
  }
  if (batch.length > 0) pending.push(write(batch));
  await Promise.all(pending);
  totals.seconds = (performance.now() - started) / 1000;
  return totals;
}

export type CheckedItem =
  | { ok: true; event: LifecycleEvent }
  | { ok: false; outcome: IngestOutcome & { status: 'rejected' }; wrongSource: boolean };

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

function eventIdOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const id = (value as { eventId?: unknown }).eventId;
  return typeof id === 'string' ? id : null;
}
