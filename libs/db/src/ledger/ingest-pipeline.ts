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
      if ('parseError' in item) {
        rejected.push({ index: item.index, eventId: null, status: 'rejected', reasons: [{ path: '(event)', message: item.parseError }] });
        continue;
      }
      const result = validateLifecycleEvent(item.value);
      if (!result.ok) {
        rejected.push({ index: item.index, eventId: eventIdOf(item.value), status: 'rejected', reasons: result.errors });
        continue;
      }
      const reasons: FieldError[] = [];
      if (options.allowedSource !== null && result.event.source !== options.allowedSource) {
        reasons.push({ path: 'source', message: `this key writes only events of source "${options.allowedSource}"` });
      }
      if (reasons.length > 0) rejected.push({ index: item.index, eventId: result.event.eventId, status: 'rejected', reasons });
      else valid.push({ index: item.index, event: result.event });
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

function eventIdOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const id = (value as { eventId?: unknown }).eventId;
  return typeof id === 'string' ? id : null;
}
