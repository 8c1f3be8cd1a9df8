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
import { timePartitions, type TimePartition } from './partitions/time-partitions.js';
import { readArchivedChains } from './archive/archived-chains.js';
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
  /** The months read, oldest first, with the rows each held (of the chains asked for). */
  partitions: PartitionRead[];
}

export interface PartitionRead extends TimePartition {
  rows: number;
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
 * The rows are streamed month by month, oldest first, one COPY per partition in id order
 * (its primary key's index, no sort), all inside one repeatable-read snapshot, so no
 * query reads more than a month and the walks carry each chain across the boundaries.
 * The writer numbers a chain's rows under the chain's lock and stamps them with the time
 * of the appending statement, taken under that lock, so each chain's rows already come in
 * (chain_seq, id) order, across months too. (Table order does not do:
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
    const { heads, partitions, findings: checkpointFindings, summary: checkpointSummary } = await inTransaction(
      this.pool,
      async (client) => {
        // Timestamps in one fixed form.
        await client.query(`SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, YMD'`);
        const chainHeads = (await client.query<{ chain_id: string; head_seq: string; head_hash: string }>('SELECT chain_id, head_seq, head_hash FROM ledger_chain ORDER BY chain_id')).rows;
        // A chain with archived months is walked across them on their signed boundaries, not from genesis.
        const archived = await readArchivedChains(client, options.checkpoints?.signature);
        for (const chainId of archived.chainIds) walks.set(chainId, new ChainWalk(chainId, maxFailures, archived.spansOf(chainId)));
        const threads = options.threads ?? (await this.defaultThreads(client));
        const partitions = await timePartitions(client, 'ledger_event');
        const { outOfOrder, rowsPerPartition } = await this.streamChains(client, partitions, options, threads, maxFailures, walks);
        for (const chainId of outOfOrder) {
          const walk = new ChainWalk(chainId, maxFailures, archived.spansOf(chainId));
          await this.walkInOrder(client, walk);
          walks.set(chainId, walk);
        }
        const read = partitions.map((p, i) => ({ ...p, rows: rowsPerPartition[i] ?? 0 }));
        return { heads: chainHeads, partitions: read, ...(await this.compareWithCheckpoints(client, chainHeads, options)) };
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
    return { ok: failures.length === 0, rowsChecked, chains, failures, checkpoints: checkpointSummary, partitions };
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
    // Positions inside a detached month have no row left to hold; the archive file proves them.
    const archived = await readArchivedChains(client, options.checkpoints?.signature);
    const wanted = options.chainIds === undefined ? null : new Set(options.chainIds);
    const signed = [...signedLedgerPositions(trusted.checkpoints).filter((p) => !archived.isDetached(p.chain, p.seq)), ...archived.signed].filter((p) => wanted === null || wanted.has(p.chain));
    const headMap = new Map(heads.map((h) => [h.chain_id, { seq: h.head_seq, hash: h.head_hash }]));
    const findings = await compareSignedPositions(signed, headMap, ledgerPositionLookup(client), (chain) => `chain ${chain}`);
    return { findings: [...trusted.findings, ...archived.findings, ...findings], summary: { ...trusted.summary, checked: trusted.summary.checked + archived.checkpoints } };
  }

  private async defaultThreads(client: PoolClient): Promise<number> {
    // A partitioned table keeps no estimate of its own: its months' estimates are summed.
    const { rows } = await client.query<{ n: string }>(
      `SELECT coalesce(sum(greatest(c.reltuples, 0)), 0)::bigint AS n FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'ledger_event'::regclass`,
    );
    return Number(rows[0]?.n ?? 0) < SMALL_LEDGER_ROWS ? 0 : Math.min(availableParallelism(), 4);
  }

  /**
   * Streams the rows once, month by month, walking each chain; returns the chains whose rows
   * did not come in chain order, and how many rows each month gave.
   */
  private async streamChains(
    client: PoolClient,
    partitions: readonly TimePartition[],
    options: VerifyOptions,
    threads: number,
    maxFailures: number,
    walks: Map<string, ChainWalk>,
  ): Promise<{ outOfOrder: Set<string>; rowsPerPartition: number[] }> {
    const { chainIds } = options;
    const batchBytes = options.batchBytes ?? BATCH_BYTES;
    const outOfOrder = new Set<string>();
    const rowsPerPartition: number[] = [];
    const apply = (result: BatchResult, partition: number) => {
      for (const segment of result.segments) {
        rowsPerPartition[partition] = (rowsPerPartition[partition] ?? 0) + segment.count;
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
    // Batches are checked in parallel and applied to the walks in stream order, months
    // included: the next month's COPY starts while the last batches of one are checked.
    const inFlight: { partition: number; result: Promise<BatchResult> }[] = [];
    const applyOldest = async () => {
      const next = inFlight.shift() as { partition: number; result: Promise<BatchResult> };
      apply(await next.result, next.partition);
    };
    try {
      for (const [index, partition] of partitions.entries()) {
        rowsPerPartition[index] = 0;
        const copy = client.query(
          new CopyOutBatches(`COPY (SELECT ${VERIFY_COLUMNS} FROM ${client.escapeIdentifier(partition.name)} ${filter} ORDER BY id) TO STDOUT`, batchBytes),
        );
        for await (const batch of copy.batches()) {
          if (pool === undefined) {
            apply(checkBatch(Buffer.from(batch.buffer, 0, batch.length).toString('utf8')), index);
            continue;
          }
          // Each batch has a buffer of its own: it moves to the thread without a copy.
          inFlight.push({ partition: index, result: pool.run(batch, { transferList: [batch.buffer] }) });
          if (inFlight.length >= threads * 2) await applyOldest();
        }
      }
      while (inFlight.length > 0) await applyOldest();
      if (poolError !== undefined) throw poolError instanceof Error ? poolError : new Error(String(poolError));
    } finally {
      await Promise.allSettled(inFlight.map((f) => f.result));
      await pool?.destroy();
    }
    return { outOfOrder, rowsPerPartition };
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
