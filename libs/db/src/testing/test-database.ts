import pg from 'pg';
import { applyMigrations } from '@qadaga/migrate';

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

/** Empties every table of the product (all but the migration history), so each test file starts from a known, empty state. */
export async function resetLedger(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ name: string }>(
    `SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
  );
  if (rows.length === 0) return;
  await pool.query(`TRUNCATE ${rows.map((r) => r.name).join(', ')} RESTART IDENTITY CASCADE`);
}
