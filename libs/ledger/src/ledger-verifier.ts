import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { inTransaction } from '@qadaga/db';
import type { Pool, PoolClient } from 'pg';
import { Piscina } from 'piscina';
import { LEDGER_EVENT_COLUMNS, type LedgerEventRow } from './ledger-row.js';
import { ChainWalk, type ChainReport, type VerifyFailure } from './verify/chain-walk.js';
import { checkBatch, contentMatches, toWalkRow, type BatchResult } from './verify/batch-check.js';
import { VERIFY_COLUMNS } from './verify/copy-text.js';
import { CopyOutBatches } from './verify/copy-out-batches.js';
import type { VerifyTask } from './verify/verify-worker.js';
import { compareSignedPositions, ledgerPositionLookup, signedLedgerPositions, trustedCheckpoints, type CheckpointFinding, type CheckpointOptions, type CheckpointSummary } from './verify/checkpoint-check.js';

export type { ChainReport, VerifyFailure, VerifyFailureKind } from './verify/chain-walk.js';
export type { CheckpointFailureKind, CheckpointFinding, CheckpointOptions, CheckpointOrigin, CheckpointSummary, SignatureCheck } from './verify/checkpoint-check.js';
export { verifyCheckpointExtension, type ExtensionFailure, type ExtensionResult } from './ledger-verifier-extension.js';

export interface VerifyReport {
  ok: boolean;
  rowsChecked: number;
  chains: ChainReport[];
  failures: VerifyFailure[];
  /** How many signed checkpoints the rows were held to, and whether their signatures were checked. */
  checkpoints: CheckpointSummary;
}

export interface VerifyOptions {
  /** Only these chains, reported in this order (default: every chain, sorted). */
  chainIds?: string[];
  maxFailures?: number;
  /**
   * Worker threads that recompute content hashes and links. Default: none for a small
   * ledger (starting threads costs more than it saves), else one per core, at most 4.
   */
  threads?: number;
  /** Bytes of streamed rows per batch handed to a thread (default 1 MiB). */
  batchBytes?: number;
  /** Checkpoints kept elsewhere, and the signature check; the stored checkpoints are always compared. */
  checkpoints?: CheckpointOptions;
}

const PAGE = 5_000;
/** About 2,000 rows: large enough that handing a batch to a thread costs little next to hashing it. */
const BATCH_BYTES = 1 << 20;
const SMALL_LEDGER_ROWS = 50_000;
const WORKER_FILE = new URL('./verify/verify-worker.ts', import.meta.url);

/**
 * Recomputes every chain from the rows alone and names each row that was edited,
 * deleted or inserted.
 *
 * One COPY streams the rows in id order (the primary key's index, no sort), inside one
 * repeatable-read snapshot: the writer numbers a chain's rows under the chain's lock, so
 * each chain's rows already come in (chain_seq, id) order. (Table order does not do:
 * PostgreSQL fills earlier pages' free space, so appended rows are not stored in order.) Worker threads check each batch (content hash, and each link
 * to the row before it in the batch) and return only the rows the sequential walk must
 * see. A chain whose rows turn out not to come in order (a row inserted or rewritten
 * after the fact) is walked again, alone, through the (chain_id, chain_seq) index.
 */
export class LedgerVerifier {
  constructor(private readonly pool: Pool) {}

  async verify(options: VerifyOptions = {}): Promise<VerifyReport> {
    const maxFailures = options.maxFailures ?? 1_000;
    const walks = new Map<string, ChainWalk>();
    // One read-only snapshot for the rows, the heads and the checkpoints: the heads compared are the heads walked.
    const { heads, findings: checkpointFindings, summary: checkpointSummary } = await inTransaction(
      this.pool,
      async (client) => {
        // Timestamps in one fixed form.
        await client.query(`SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, YMD'`);
        const chainHeads = (await client.query<{ chain_id: string; head_seq: string; head_hash: string }>('SELECT chain_id, head_seq, head_hash FROM ledger_chain ORDER BY chain_id')).rows;
        const threads = options.threads ?? (await this.defaultThreads(client));
        const outOfOrder = await this.streamChains(client, options, threads, maxFailures, walks);
        for (const chainId of outOfOrder) {
          const walk = new ChainWalk(chainId, maxFailures);
          await this.walkInOrder(client, walk);
          walks.set(chainId, walk);
        }
        return { heads: chainHeads, ...(await this.compareWithCheckpoints(client, chainHeads, options)) };
      },
      'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
    );

    const headOf = new Map(heads.map((h) => [h.chain_id, h]));
    // A chain with rows but no head row had its head deleted: still verify its rows.
    const known = new Set([...headOf.keys(), ...walks.keys()]);
    const wanted = options.chainIds ?? [...known].sort();
    const failures: VerifyFailure[] = [];
    const chains: ChainReport[] = [];
    let rowsChecked = 0;
    for (const chainId of wanted) {
      const head = headOf.get(chainId);
      const walk = walks.get(chainId) ?? new ChainWalk(chainId, maxFailures);
      const { report, failures: found } = walk.finish(head);
      for (const f of found) if (failures.length < maxFailures) failures.push(f);
      rowsChecked += report.rows;
      // Lanes never written to have nothing to prove.
      if (report.rows > 0 || (head !== undefined && head.head_seq !== '0')) chains.push(report);
    }
    for (const f of checkpointFindings) {
      if (failures.length >= maxFailures) break;
      failures.push({ kind: f.kind, chainId: f.chain, seq: f.seq, rowId: null, eventId: null, message: f.message, signedHash: f.signedHash, foundHash: f.foundHash, checkpoint: f.checkpoint });
    }
    return { ok: failures.length === 0, rowsChecked, chains, failures, checkpoints: checkpointSummary };
  }

  /**
   * Holds the rows to every signed checkpoint: one indexed lookup per distinct signed head,
   * however long the ledger, so this costs next to nothing beside the walk.
   */
  private async compareWithCheckpoints(
    client: PoolClient,
    heads: { chain_id: string; head_seq: string; head_hash: string }[],
    options: VerifyOptions,
  ): Promise<{ findings: CheckpointFinding[]; summary: CheckpointSummary }> {
    const trusted = await trustedCheckpoints(client, options.checkpoints);
    const wanted = options.chainIds === undefined ? null : new Set(options.chainIds);
    const signed = signedLedgerPositions(trusted.checkpoints).filter((p) => wanted === null || wanted.has(p.chain));
    const headMap = new Map(heads.map((h) => [h.chain_id, { seq: h.head_seq, hash: h.head_hash }]));
    const findings = await compareSignedPositions(signed, headMap, ledgerPositionLookup(client), (chain) => `chain ${chain}`);
    return { findings: [...trusted.findings, ...findings], summary: trusted.summary };
  }

  private async defaultThreads(client: PoolClient): Promise<number> {
    const { rows } = await client.query<{ n: string }>(`SELECT reltuples::bigint AS n FROM pg_class WHERE oid = 'ledger_event'::regclass`);
    return Number(rows[0]?.n ?? 0) < SMALL_LEDGER_ROWS ? 0 : Math.min(availableParallelism(), 4);
  }

  /** Streams the rows once, walking each chain; returns the chains whose rows did not come in chain order. */
  private async streamChains(client: PoolClient, options: VerifyOptions, threads: number, maxFailures: number, walks: Map<string, ChainWalk>): Promise<Set<string>> {
    const { chainIds } = options;
    const batchBytes = options.batchBytes ?? BATCH_BYTES;
    const outOfOrder = new Set<string>();
    const apply = (result: BatchResult) => {
      for (const segment of result.segments) {
        let walk = walks.get(segment.chainId);
        if (walk === undefined) {
          walk = new ChainWalk(segment.chainId, maxFailures);
          walks.set(segment.chainId, walk);
        }
        if (outOfOrder.has(segment.chainId)) continue;
        walk.rows += segment.count;
        for (const row of segment.rows) {
          const inOrder = row.pred === null ? walk.isAfterLastSeen(row) : !row.unordered;
          if (!inOrder) {
            outOfOrder.add(segment.chainId);
            break;
          }
          // Rows between the last one shown and this one's predecessor were clean.
          if (row.pred !== null && walk.lastSeenId !== row.pred.id) walk.acceptedUpTo(row.pred);
          walk.step(row);
        }
      }
    };

    // COPY takes no parameters: the chain ids are quoted as literals.
    const filter = chainIds === undefined ? '' : chainIds.length === 0 ? 'WHERE false' : `WHERE chain_id IN (${chainIds.map((c) => client.escapeLiteral(c)).join(', ')})`;
    const pool =
      threads > 0
        ? new Piscina<VerifyTask, BatchResult>({
            filename: WORKER_FILE.href,
            minThreads: threads,
            maxThreads: threads,
            execArgv: workerExecArgv(),
            // Each row leaves a dozen short strings behind: a larger young generation means
            // fewer scavenges (measured: 5-10 % less CPU per row).
            resourceLimits: { maxYoungGenerationSizeMb: 64 },
          })
        : undefined;
    // A thread that dies fails the verification instead of the process.
    let poolError: unknown;
    pool?.on('error', (error: unknown) => {
      poolError ??= error;
    });
    // Batches are checked in parallel and applied to the walks in stream order.
    const inFlight: Promise<BatchResult>[] = [];
    const copy = client.query(new CopyOutBatches(`COPY (SELECT ${VERIFY_COLUMNS} FROM ledger_event ${filter} ORDER BY id) TO STDOUT`, batchBytes));
    try {
      for await (const batch of copy.batches()) {
        if (pool === undefined) {
          apply(checkBatch(Buffer.from(batch.buffer, 0, batch.length).toString('utf8')));
          continue;
        }
        // Each batch has a buffer of its own: it moves to the thread without a copy.
        inFlight.push(pool.run(batch, { transferList: [batch.buffer] }));
        if (inFlight.length >= threads * 2) apply(await (inFlight.shift() as Promise<BatchResult>));
      }
      while (inFlight.length > 0) apply(await (inFlight.shift() as Promise<BatchResult>));
      if (poolError !== undefined) throw poolError instanceof Error ? poolError : new Error(String(poolError));
    } finally {
      await Promise.allSettled(inFlight);
      await pool?.destroy();
    }
    return outOfOrder;
  }

  /** Walks one chain through its index in (chain_seq, id) order, paging by keyset. */
  private async walkInOrder(client: PoolClient, walk: ChainWalk): Promise<void> {
    let afterSeq = '0';
    let afterId = '0';
    for (;;) {
      const page = await client.query<LedgerEventRow>(
        `SELECT ${LEDGER_EVENT_COLUMNS} FROM ledger_event WHERE chain_id = $1 AND (chain_seq, id) > ($2::bigint, $3::bigint)
         ORDER BY chain_seq, id LIMIT ${PAGE}`,
        [walk.chainId, afterSeq, afterId],
      );
      for (const row of page.rows) {
        walk.rows += 1;
        walk.step(toWalkRow(row, contentMatches(row)));
      }
      const last = page.rows.at(-1);
      if (last === undefined || page.rows.length < PAGE) break;
      afterSeq = last.chain_seq;
      afterId = last.id;
    }
  }
}

/**
 * The worker is TypeScript: its thread gets the loader the main thread runs under, or, where
 * that was registered from code (the CLI) or by a test runner, tsx by absolute path, so it
 * loads whatever the working directory.
 */
function workerExecArgv(): string[] {
  const own = process.execArgv;
  const loaderFlag = /^--(?:import|require|loader|experimental-loader)(?:=|$)/u;
  if (own.some((a, i) => loaderFlag.test(a) && `${a} ${own[i + 1] ?? ''}`.includes('tsx'))) return own;
  return [...own, '--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href];
}
