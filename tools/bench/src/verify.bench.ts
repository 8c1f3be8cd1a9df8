import { availableParallelism, loadavg } from 'node:os';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { to as copyTo } from 'pg-copy-streams';
import { LedgerVerifier } from '@qadaga/ledger';
import { applyMigrations } from '@qadaga/migrate';
import { createPool } from '@qadaga/db';
import type pg from 'pg';
import { benchDatabaseUrl, freshBenchDatabase } from './bench-database.js';
import { processCpuSeconds } from './process-cpu.js';
import { fillLedger } from './verify-fill.js';

export interface VerifyBenchResult {
  events: number;
  /** Null when a ledger filled by an earlier run was reused (BENCH_VERIFY_REUSE=1). */
  fillSeconds: number | null;
  /** Reading the same rows, in the same order, with COPY TO and hashing nothing. */
  readSeconds: number;
  verifySeconds: number;
  threads: number;
  verifyCpuSeconds: number;
  /** CPU of the client backends serving the bench database: other databases on a shared host do not count. */
  postgresCpuSeconds: number;
  readCpuSeconds: number;
  readPostgresCpuSeconds: number;
  /** One-minute load average after verification: the host may be shared. */
  loadAverage: number;
}

const COLUMNS =
  'id, chain_id, chain_seq, source, event_id, violation_ref, type, occurred_at, recorded_at, actor_kind, actor_id, actor_unit, actor_workstation, payload, content_hash, chain_hash';

/**
 * Verification of the whole ledger against the floor of reading it: the same rows
 * streamed by COPY TO in the same order into a sink that only counts bytes.
 */
export async function runVerifyBenchmark(options: { events: number; reuse?: boolean }): Promise<VerifyBenchResult> {
  const reuse = options.reuse ?? process.env['BENCH_VERIFY_REUSE'] === '1';
  const reused = reuse ? await filledBenchDatabase(options.events) : undefined;
  const pool = reused ?? (await freshBenchDatabase());
  try {
    const fill = reused === undefined ? await fillLedger(pool, options.events) : { events: options.events, seconds: null };
    const client = await pool.connect();
    let bytes = 0;
    const readPg0 = await backendCpu(pool);
    const readCpu0 = process.cpuUsage();
    const r0 = performance.now();
    try {
      await client.query(`SET TimeZone = 'UTC'`);
      await pipeline(
        client.query(copyTo(`COPY (SELECT ${COLUMNS} FROM ledger_event ORDER BY id) TO STDOUT`)),
        new Writable({
          write(chunk: Buffer, _encoding, done) {
            bytes += chunk.length;
            done();
          },
        }),
      );
    } finally {
      client.release();
    }
    const readSeconds = (performance.now() - r0) / 1000;
    const readCpu = process.cpuUsage(readCpu0);
    const readPostgresCpuSeconds = cpuSince(readPg0, await backendCpu(pool));
    if (bytes === 0) throw new Error('the read baseline streamed nothing');

    const verifier = new LedgerVerifier(pool);
    const pg0 = await backendCpu(pool);
    const cpu0 = process.cpuUsage();
    const v0 = performance.now();
    const report = await verifier.verify();
    const verifySeconds = (performance.now() - v0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const postgresCpuSeconds = cpuSince(pg0, await backendCpu(pool));
    if (!report.ok || report.rowsChecked !== fill.events) {
      throw new Error(`verification of an untouched ledger failed: ${report.rowsChecked} rows, ${report.failures.length} failures`);
    }
    return {
      events: fill.events,
      fillSeconds: fill.seconds,
      readSeconds,
      verifySeconds,
      threads: Math.min(availableParallelism(), 4),
      // Worker threads count in the process's CPU time.
      verifyCpuSeconds: (cpu.user + cpu.system) / 1e6,
      postgresCpuSeconds,
      readCpuSeconds: (readCpu.user + readCpu.system) / 1e6,
      readPostgresCpuSeconds,
      loadAverage: loadavg()[0] ?? 0,
    };
  } finally {
    await pool.end();
  }
}

/**
 * The bench database as an earlier run left it, if it holds a complete fill of exactly
 * `events` rows: filling 10M rows takes half an hour, verifying them a minute or two.
 * The fill writes the chain heads after its single COPY, so heads present mean the rows are all there.
 */
async function filledBenchDatabase(events: number): Promise<pg.Pool | undefined> {
  const url = benchDatabaseUrl();
  await applyMigrations({ databaseUrl: url });
  const pool = createPool({ url, size: 4, applicationName: 'qadaga-bench' });
  const { rows } = await pool.query<{ rows: string; heads: string }>(
    'SELECT (SELECT count(*) FROM ledger_event) AS rows, (SELECT count(*) FROM ledger_chain) AS heads',
  );
  if (Number(rows[0]?.rows) === events && Number(rows[0]?.heads) > 0) return pool;
  await pool.end();
  return undefined;
}

/** CPU seconds of each client backend connected to the bench database, by process id. */
async function backendCpu(pool: pg.Pool): Promise<Map<number, number>> {
  const { rows } = await pool.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'`);
  const cpu = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      cpu.set(pid, processCpuSeconds(pid));
    } catch {
      // The backend ended between listing and reading.
    }
  }
  return cpu;
}

/** A backend that started in between counts from zero. */
function cpuSince(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
}
