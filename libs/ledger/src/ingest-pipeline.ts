import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import pLimit, { type LimitFunction } from 'p-limit';
import { Piscina } from 'piscina';
import type { IngestResponse } from '@qadaga/contracts';
import { prepareTask, preparedEvents, type NotABatch, type NotText, type PrepareTask, type PreparedBatch, type RawItem } from './ingest-check.js';
import type { LedgerWriter } from './ledger-writer.js';

export { checkItem, withoutByteOrderMark, type CheckedItem, type NotABatch, type NotText, type RawItem } from './ingest-check.js';
export { utf8Problem } from './ingest-utf8.js';

const WORKER_FILE = new URL('./ingest-worker.ts', import.meta.url);

export interface IngestPipelineOptions {
  /**
   * Worker threads for the per-event work (parsing, validation, canonical form, hash),
   * so it runs beside the thread that serves HTTP and drives PostgreSQL. 0 does it all
   * in the calling thread.
   */
  threads?: number;
  /**
   * Transactions this pipeline runs at once; requests beyond wait for a slot after their
   * per-event work is done, so preparing one overlaps writing others. Two measured best on
   * 2 cores: four at once made PostgreSQL spend 0.4-0.9 CPU-s more per 95,000 events
   * (backends contending for the same index pages and WAL) for less throughput, and one
   * left the database idle while a write waited on its round trips.
   */
  maxConcurrentWrites?: number;
}

export const DEFAULT_CONCURRENT_WRITES = 2;

/** One worker thread per core but one, which serves HTTP and drives PostgreSQL; at least one. */
export function defaultIngestThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

/**
 * Validation and authorisation per event, then one durable write for everything that
 * passed. A bad event is answered with its reasons and never sinks the others.
 */
export class IngestPipeline {
  private pool: Piscina<PrepareTask, PreparedBatch | NotABatch | NotText> | undefined;
  private readonly writeSlots: LimitFunction;

  constructor(
    private readonly writer: LedgerWriter,
    private readonly options: IngestPipelineOptions = {},
  ) {
    this.writeSlots = pLimit(options.maxConcurrentWrites ?? DEFAULT_CONCURRENT_WRITES);
  }

  async ingest(items: readonly RawItem[], options: { allowedSource: string | null }): Promise<IngestResponse> {
    const prepared = await this.prepare({ kind: 'items', items: [...items], allowedSource: options.allowedSource });
    if (!('events' in prepared)) throw new Error('items were taken for a JSON body');
    return this.writePrepared(prepared);
  }

  /**
   * A JSON array body as its text or its UTF-8 bytes: decoded, parsed, validated and
   * hashed off the calling thread. Bytes that own their whole buffer are moved to that
   * thread, not copied, and are empty here afterwards. A body that is not a plain
   * non-empty array of at most `maxEvents` events is answered, with nothing written, as
   * its text: the caller then takes the ordinary path. Bytes that are not UTF-8 are
   * answered with where and why, and nothing is written.
   */
  async ingestJsonText(body: string | Uint8Array, options: { allowedSource: string | null; maxEvents: number }): Promise<IngestResponse | NotABatch | NotText> {
    const movable = typeof body !== 'string' && body.byteOffset === 0 && body.byteLength === body.buffer.byteLength && body.buffer instanceof ArrayBuffer;
    const prepared = await this.prepare({ kind: 'json', body, ...options }, movable ? [body.buffer as ArrayBuffer] : undefined);
    return 'events' in prepared ? this.writePrepared(prepared) : prepared;
  }

  /** Ends the worker threads (they never hold the process open while idle). */
  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.destroy();
  }

  private async prepare(task: PrepareTask, transferList?: ArrayBuffer[]): Promise<PreparedBatch | NotABatch | NotText> {
    const threads = this.options.threads ?? 0;
    if (threads <= 0) return prepareTask(task);
    this.pool ??= this.startPool(threads);
    return this.pool.run(task, transferList === undefined ? {} : { transferList });
  }

  private startPool(threads: number): Piscina<PrepareTask, PreparedBatch | NotABatch | NotText> {
    const pool = new Piscina<PrepareTask, PreparedBatch | NotABatch | NotText>({
      filename: WORKER_FILE.href,
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: 60_000,
      // A batch is a few megabytes of short-lived objects (parsed events, their canonical
      // forms); a young generation that holds several batches lets them die there.
      resourceLimits: { maxYoungGenerationSizeMb: 64 },
      execArgv: workerExecArgv(),
    });
    // A thread that dies outside a task is replaced by the pool; a task it was running
    // fails its own request only.
    pool.on('error', (error: unknown) => console.error('an ingest worker thread failed', error));
    return pool;
  }

  private async writePrepared(prepared: PreparedBatch): Promise<IngestResponse> {
    const valid = preparedEvents(prepared.events);
    const rejected = prepared.rejected;
    const written = valid.length > 0 ? await this.writeSlots(() => this.writer.writePrepared({ events: valid, projections: prepared.projections })) : { outcomes: [], violations: 0 };
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

/**
 * Worker threads run TypeScript sources through the same loader as this process, and
 * write a CPU profile of their own when it writes one (so a profiled run shows where
 * their time goes too); they take none of its other flags.
 */
function workerExecArgv(): string[] {
  const own = process.execArgv;
  const loaders: string[] = [];
  const profiling: string[] = [];
  for (let i = 0; i < own.length; i += 1) {
    const arg = own[i] as string;
    if (/^--(?:import|require|loader|experimental-loader)=/u.test(arg)) loaders.push(arg);
    else if (/^--(?:import|require|loader|experimental-loader)$/u.test(arg) && own[i + 1] !== undefined) loaders.push(arg, own[(i += 1)] as string);
    else if (/^--cpu-prof(?:-dir|-interval)?(?:=|$)/u.test(arg)) profiling.push(arg);
  }
  const tsx = loaders.join(' ').includes('tsx') ? [] : ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href];
  return [...loaders, ...tsx, ...profiling];
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
