import type pg from 'pg';
import { matchesChecksum } from './checksum.js';
import { parseDatabaseUrl } from './database-url.js';
import { migrationNames, readMigrationList } from './migrations-directory.js';
import { DEFAULT_MIGRATIONS_DIR } from './paths.js';
import { isMissingDatabase, withClient } from './server-admin.js';

export interface MigrationStatus {
  /** False when the database has not been created yet; every migration is then pending. */
  databaseExists: boolean;
  /** Finished and not rolled back, in the order they were applied. */
  applied: string[];
  /** In the migrations directory and not applied, in the order a deploy would apply them. */
  pending: string[];
  /** Started and never finished: a deploy stops here until the row is resolved. */
  failed: string[];
  /** Applied, but migration.sql has changed since. */
  edited: string[];
  /** Applied to the database but absent from the migrations directory. */
  unknown: string[];
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

const UNDEFINED_TABLE = '42P01';

/**
 * Compares the migrations directory with `_prisma_migrations`. Read-only: it creates
 * nothing, takes no lock and does not start the schema engine, so it is safe to run
 * against production while a deploy is in progress.
 */
export async function migrationStatus(
  databaseUrl: string,
  options: { migrationsDir?: string } = {},
): Promise<MigrationStatus> {
  const target = parseDatabaseUrl(databaseUrl);
  const list = await readMigrationList(options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);
  const local = migrationNames(list);

  let rows: MigrationRow[];
  try {
    rows = await withClient(target, readMigrationsTable);
  } catch (error) {
    if (!isMissingDatabase(error)) throw error;
    return { databaseExists: false, applied: [], pending: local, failed: [], edited: [], unknown: [] };
  }

  const scripts = new Map(
    list.migrationDirectories.map((d) => [d.path, d.migrationFile.content.tag === 'ok' ? d.migrationFile.content.value : null]),
  );
  const live = rows.filter((row) => row.rolled_back_at === null);
  const applied = live.filter((row) => row.finished_at !== null);
  const failed = live.filter((row) => row.finished_at === null).map((row) => row.migration_name);
  const appliedNames = new Set(applied.map((row) => row.migration_name));
  return {
    databaseExists: true,
    applied: applied.map((row) => row.migration_name),
    pending: local.filter((name) => !appliedNames.has(name) && !failed.includes(name)),
    failed,
    edited: applied
      .filter((row) => {
        const script = scripts.get(row.migration_name);
        return typeof script === 'string' && !matchesChecksum(script, row.checksum);
      })
      .map((row) => row.migration_name),
    unknown: [...appliedNames].filter((name) => !scripts.has(name)),
  };
}

async function readMigrationsTable(client: pg.Client): Promise<MigrationRow[]> {
  try {
    const result = await client.query<MigrationRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at, migration_name',
    );
    return result.rows;
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === UNDEFINED_TABLE) return [];
    throw error;
  }
}
