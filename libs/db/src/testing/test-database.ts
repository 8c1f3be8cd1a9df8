import pg from 'pg';
import { applyMigrations } from '../migrate/apply-migrations.js';

/**
 * Integration tests run against a real PostgreSQL, in a database of their own
 * (TEST_DATABASE_URL, default qadaga_test on the local server), migrated once per run.
 */
export function testDatabaseUrl(): string {
  return process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/qadaga_test';
}

export function testRedisUrl(): string {
  return process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379/15';
}

export async function migrateTestDatabase(): Promise<string[]> {
  const { applied } = await applyMigrations({ databaseUrl: testDatabaseUrl() });
  return applied;
}

const PRODUCT_TABLES = [
  'ledger_event', 'ledger_chain', 'ingest_conflict', 'violation', 'access_log', 'api_key', 'source_system',
  'officer', 'vehicle', 'camera', 'dispatch', 'flag', 'flag_history', 'suppression', 'pending_evaluation', 'outbox_cursor',
  'rule_version', 'rule',
];

/** Empties every table of the product, so each test file starts from a known, empty state. */
export async function resetLedger(pool: pg.Pool): Promise<void> {
  await pool.query(`TRUNCATE ${PRODUCT_TABLES.join(', ')} RESTART IDENTITY CASCADE`);
}
