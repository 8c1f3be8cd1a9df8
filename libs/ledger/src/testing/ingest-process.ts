/**
 * One writer process of the ledger, as one API process is: its own pool, its own
 * LedgerWriter and IngestPipeline. It reads a plan (batches of raw events) from the file
 * named by its argument, connects to DATABASE_URL, says `ready` on stdout and waits for a
 * line on stdin, so several such processes start writing at the same moment. It then
 * sends its batches, `concurrency` at a time, and prints one JSON line: every event's
 * outcome and every batch that failed (with the error's code and message).
 *
 * Run: node --import tsx libs/ledger/src/testing/ingest-process.ts <plan.json>
 */
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import pLimit from 'p-limit';
import { createPool } from '@qadaga/db';
import { IngestPipeline } from '../ingest-pipeline.js';
import { LedgerWriter } from '../ledger-writer.js';

export interface IngestPlan {
  batches: unknown[][];
  /** Batches in flight at once (the API runs INGEST_CONCURRENT_WRITES transactions at once). */
  concurrency: number;
}

export interface IngestProcessOutcome {
  eventId: string;
  source: string;
  status: string;
  chainSeq?: string;
}

export interface IngestProcessReport {
  outcomes: IngestProcessOutcome[];
  failedBatches: { batch: number; code: string | null; message: string }[];
}

const planFile = process.argv[2];
const url = process.env['DATABASE_URL'];
if (planFile === undefined || url === undefined) {
  console.error('usage: DATABASE_URL=postgres://… ingest-process.ts <plan.json>');
  process.exit(2);
}
const plan = JSON.parse(await readFile(planFile, 'utf8')) as IngestPlan;
const pool = createPool({ url, size: plan.concurrency + 2, applicationName: 'qadaga-ingest-process' });
const pipeline = new IngestPipeline(new LedgerWriter(pool), { maxConcurrentWrites: plan.concurrency });
await pool.query('SELECT 1');

process.stdout.write('ready\n');
// The signal's line, then stdin is let go, so it holds the process open no longer.
const signal = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => signal.once('line', () => resolve()));
signal.close();
process.stdin.destroy();

const report: IngestProcessReport = { outcomes: [], failedBatches: [] };
const slots = pLimit(plan.concurrency);
await Promise.all(
  plan.batches.map((batch, b) =>
    slots(async () => {
      try {
        const answer = await pipeline.ingest(
          batch.map((value, index) => ({ index, value })),
          { allowedSource: null },
        );
        for (const r of answer.results) {
          const event = batch[r.index] as { eventId: string; source: string };
          report.outcomes.push({ eventId: event.eventId, source: event.source, status: r.status, ...(r.status === 'accepted' ? { chainSeq: r.chainSeq } : {}) });
        }
      } catch (error) {
        const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : null;
        report.failedBatches.push({ batch: b, code, message: error instanceof Error ? error.message : String(error) });
      }
    }),
  ),
);
await pipeline.close();
await pool.end();
process.stdout.write(`${JSON.stringify(report)}\n`);
