import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import type { IngestOutcome } from '@qadaga/contracts';
import { IngestPipeline, LedgerWriter } from '@qadaga/ledger';
import { isRejected, type ImportRecord } from '@qadaga/importers';
import type pg from 'pg';

export interface ImportSummary {
  /** Source records (log events, CSV rows) that added at least one new lifecycle event. */
  accepted: number;
  /** Source records whose every lifecycle event was already in the ledger. */
  duplicates: number;
  /** Source records refused, each with its reasons in the report file. */
  rejected: number;
  /** Distinct violations the accepted and duplicate records belong to. */
  violations: number;
  lifecycleEvents: { accepted: number; duplicates: number };
  seconds: number;
  report: string | null;
}

interface PendingRecord {
  record: ImportRecord;
  /** Positions of its events in the write it belongs to. */
  first: number;
  count: number;
}

const EVENTS_PER_WRITE = 2_000;
const WRITES_IN_FLIGHT = 2;

/**
 * Feeds import records to the ledger through the same pipeline the API uses, a few
 * thousand events per transaction with two transactions in flight, so reading the file
 * overlaps with writing. Accounting is per source record, so the summary counts what
 * the file holds, even where one log event became several lifecycle steps.
 */
export async function runImport(options: {
  records: AsyncIterable<ImportRecord>;
  pool: pg.Pool;
  reportPath: string;
  onProgress?: (done: number, perSecond: number) => void;
}): Promise<ImportSummary> {
  const pipeline = new IngestPipeline(new LedgerWriter(options.pool));
  const started = performance.now();
  const summary: ImportSummary = { accepted: 0, duplicates: 0, rejected: 0, violations: 0, lifecycleEvents: { accepted: 0, duplicates: 0 }, seconds: 0, report: null };
  const violations = new Set<string>();
  let report: WriteStream | null = null;
  const reject = (record: ImportRecord, reasons: { path: string; message: string }[]) => {
    summary.rejected += 1;
    if (report === null) {
      mkdirSync(path.dirname(options.reportPath), { recursive: true });
      report = createWriteStream(options.reportPath);
      summary.report = options.reportPath;
    }
    report.write(`${JSON.stringify({ index: record.index, label: record.label, activity: record.activity, reasons })}\n`);
  };

  const settle = (batch: PendingRecord[], results: IngestOutcome[]) => {
    for (const { record, first, count } of batch) {
      if (isRejected(record)) continue;
      const outcomes = results.slice(first, first + count);
      const refused = outcomes.filter((o) => o.status === 'rejected');
      if (refused.length > 0) {
        reject(record, refused.flatMap((o) => (o.status === 'rejected' ? o.reasons : [])));
        continue;
      }
      const accepted = outcomes.filter((o) => o.status === 'accepted').length;
      summary.lifecycleEvents.accepted += accepted;
      summary.lifecycleEvents.duplicates += outcomes.length - accepted;
      if (accepted > 0) summary.accepted += 1;
      else summary.duplicates += 1;
      for (const e of record.events) violations.add(e.violationRef);
    }
  };

  const inFlight: Promise<void>[] = [];
  let batch: PendingRecord[] = [];
  let items: { index: number; value: unknown }[] = [];
  let seen = 0;
  let lastProgress = performance.now();
  const flush = async () => {
    if (items.length === 0) return;
    const mine = batch;
    const write = pipeline.ingest(items, { allowedSource: null }).then((r) => settle(mine, r.results));
    batch = [];
    items = [];
    inFlight.push(write);
    if (inFlight.length >= WRITES_IN_FLIGHT) await inFlight.shift();
  };

  for await (const record of options.records) {
    seen += 1;
    if (isRejected(record)) {
      reject(record, record.rejected);
    } else {
      batch.push({ record, first: items.length, count: record.events.length });
      for (const event of record.events) items.push({ index: items.length, value: event });
      if (items.length >= EVENTS_PER_WRITE) await flush();
    }
    const now = performance.now();
    if (options.onProgress !== undefined && now - lastProgress > 2_000) {
      lastProgress = now;
      options.onProgress(seen, seen / ((now - started) / 1000));
    }
  }
  await flush();
  await Promise.all(inFlight);
  const openReport = report as WriteStream | null;
  if (openReport !== null) await new Promise<void>((resolve) => openReport.end(resolve));
  summary.violations = violations.size;
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}
