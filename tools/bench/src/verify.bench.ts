import { availableParallelism } from 'node:os';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { to as copyTo } from 'pg-copy-streams';
import { LedgerVerifier } from '@qadaga/db';
import { freshBenchDatabase } from './bench-database.js';
import { postgresCpuSeconds } from './process-cpu.js';
import { fillLedger } from './verify-fill.js';

export interface VerifyBenchResult {
  events: number;
  fillSeconds: number;
  /** Reading the same rows, in the same order, with COPY TO and hashing nothing. */
  readSeconds: number;
  verifySeconds: number;
  threads: number;
  verifyCpuSeconds: number;
  postgresCpuSeconds: number;
}

const COLUMNS =
  'id, chain_id, chain_seq, source, event_id, violation_ref, type, occurred_at, recorded_at, actor_kind, actor_id, actor_unit, actor_workstation, payload, content_hash, chain_hash';

/**
 * Verification of the whole ledger against the floor of reading it: the same rows
 * streamed by COPY TO in the same order into a sink that only counts bytes.
 */
export async function runVerifyBenchmark(options: { events: number }): Promise<VerifyBenchResult> {
  const pool = await freshBenchDatabase();
  try {
    const fill = await fillLedger(pool, options.events);
    const client = await pool.connect();
    let bytes = 0;
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
    if (bytes === 0) throw new Error('the read baseline streamed nothing');

    const verifier = new LedgerVerifier(pool);
    const cpu0 = process.cpuUsage();
    const pg0 = postgresCpuSeconds();
    const v0 = performance.now();
    const report = await verifier.verify();
    const verifySeconds = (performance.now() - v0) / 1000;
    const cpu = process.cpuUsage(cpu0);
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
      postgresCpuSeconds: postgresCpuSeconds() - pg0,
    };
  } finally {
    await pool.end();
  }
}
