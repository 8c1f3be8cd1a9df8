import { applyMigrations } from '@qadaga/migrate';
import { createPool } from '@qadaga/db';
import { resetLedger } from '@qadaga/db/testing';
import type pg from 'pg';

/** Benchmarks run in a database of their own, never the demo's or the tests'. */
export function benchDatabaseUrl(): string {
  return process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/qadaga_bench';
}

export async function freshBenchDatabase(): Promise<pg.Pool> {
  const url = benchDatabaseUrl();
  await applyMigrations({ databaseUrl: url });
  const pool = createPool({ url, size: 4, applicationName: 'qadaga-bench' });
  // Every run starts from an empty database: ledger, reference data, rules and flags.
  await resetLedger(pool);
  await pool.query('VACUUM ANALYZE ledger_event');
  return pool;
}

export async function truncateLedger(pool: pg.Pool): Promise<void> {
  await pool.query('TRUNCATE ledger_event, ledger_chain, ingest_conflict, violation, access_log RESTART IDENTITY');
  // Fresh statistics so the planner does not work from a previous run's table sizes.
  await pool.query('VACUUM ANALYZE ledger_event');
}
