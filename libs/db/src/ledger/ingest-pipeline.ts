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

function eventIdOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const id = (value as { eventId?: unknown }).eventId;
  return typeof id === 'string' ? id : null;
}
