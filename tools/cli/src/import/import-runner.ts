import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import type { IngestOutcome } from '@qadaga/contracts';
import { IngestPipeline, LedgerWriter } from '@qadaga/ledger';
import { isRejected, type ImportRecord } from '@qadaga/importers';
import type pg from 'pg';
import { SnapshotComparison, type VanishedStep, type VanishedTicket } from './snapshot-comparison.js';

/** One line of the import's report file (NDJSON). */
export type ReportLine =
  | { kind: 'rejected'; index: number; label: string; activity: string; reasons: { path: string; message: string }[] }
  | ({ kind: 'vanished-step' } & VanishedStep)
  | ({ kind: 'vanished-ticket' } & VanishedTicket);

export interface ImportSummary {
  /** Source records (log events, CSV rows) that added at least one new lifecycle event. */
  accepted: number;
  /** Source records whose every lifecycle event was already in the ledger. */
  duplicates: number;
  /** Source records refused, each with its reasons in the report file. */
  rejected: number;
  /** Distinct violations the accepted and duplicate records belong to. */
  violations: number;
  /**
   * Current-state exports: what the ledger holds from this source that the export no longer
   * shows. A step gone from a ticket's row, or a ticket gone from a complete export, may be a
   * deletion at the source: each is written to the report, never dropped silently.
   */
  vanished: { steps: number; tickets: number };
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
  /** Called with the records read so far, a few times a second. */
  onProgress?: (done: number) => void;
  /** For a current-state export: its source, and whether it lists every ticket the source holds. */
  snapshot?: { source: string; complete: boolean };
}): Promise<ImportSummary> {
  const pipeline = new IngestPipeline(new LedgerWriter(options.pool));
  const started = performance.now();
  const summary: ImportSummary = {
    accepted: 0,
    duplicates: 0,
    rejected: 0,
    violations: 0,
    vanished: { steps: 0, tickets: 0 },
    lifecycleEvents: { accepted: 0, duplicates: 0 },
    seconds: 0,
    report: null,
  };
  const violations = new Set<string>();
  let report: WriteStream | null = null;
  const write = (line: ReportLine) => {
    if (report === null) {
      mkdirSync(path.dirname(options.reportPath), { recursive: true });
      report = createWriteStream(options.reportPath);
      summary.report = options.reportPath;
    }
    report.write(`${JSON.stringify(line)}\n`);
  };
  const reject = (record: ImportRecord, reasons: { path: string; message: string }[]) => {
    summary.rejected += 1;
    write({ kind: 'rejected', index: record.index, label: record.label, activity: record.activity, reasons });
  };
  const snapshot = options.snapshot === undefined ? undefined : new SnapshotComparison(options.pool, options.snapshot.source);
  const compare = async (records: readonly ImportRecord[]) => {
    if (snapshot === undefined) return;
    for (const gone of await snapshot.vanishedSteps(records)) {
      summary.vanished.steps += 1;
      write({ kind: 'vanished-step', ...gone });
    }
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
    const written = Promise.all([pipeline.ingest(items, { allowedSource: null }).then((r) => settle(mine, r.results)), compare(mine.map((p) => p.record))]).then(() => undefined);
    batch = [];
    items = [];
    inFlight.push(written);
    if (inFlight.length >= WRITES_IN_FLIGHT) await inFlight.shift();
  };

  for await (const record of options.records) {
    seen += 1;
    snapshot?.saw(record);
    if (isRejected(record)) {
      reject(record, record.rejected);
    } else {
      batch.push({ record, first: items.length, count: record.events.length });
      for (const event of record.events) items.push({ index: items.length, value: event });
      if (items.length >= EVENTS_PER_WRITE) await flush();
    }
    const now = performance.now();
    if (options.onProgress !== undefined && now - lastProgress > 200) {
      lastProgress = now;
      options.onProgress(seen);
    }
  }
  await flush();
  await Promise.all(inFlight);
  if (snapshot !== undefined && options.snapshot?.complete === true) {
    for (const gone of await snapshot.vanishedTickets()) {
      summary.vanished.tickets += 1;
      write({ kind: 'vanished-ticket', ...gone });
    }
  }
  const openReport = report as WriteStream | null;
  if (openReport !== null) await new Promise<void>((resolve) => openReport.end(resolve));
  summary.violations = violations.size;
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}
