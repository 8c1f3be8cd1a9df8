import { parseDatabaseUrl } from './database-url.js';
import { MigrationConnections } from './migration-connections.js';
import { readMigrationList } from './migrations-directory.js';
import { DEFAULT_MIGRATIONS_DIR, DEFAULT_SCHEMA_PATH } from './paths.js';
import { NO_FILTER, readSchemaFile, withSchemaEngine } from './schema-engine.js';
import { ensureDatabase } from './server-admin.js';

export interface ApplyMigrationsOptions {
  databaseUrl: string;
  migrationsDir?: string;
  schemaPath?: string;
}

/**
 * What `prisma migrate deploy` does, through the WebAssembly engine: applies the pending
 * migrations in order and records each in `_prisma_migrations` with the same checksum,
 * so the native CLI sees the same history. Running it again applies nothing.
 */
export async function applyMigrations(options: ApplyMigrationsOptions): Promise<{ applied: string[] }> {
  const target = parseDatabaseUrl(options.databaseUrl);
  const migrationsList = await readMigrationList(options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);
  const schema = await readSchemaFile(options.schemaPath ?? DEFAULT_SCHEMA_PATH);
  await ensureDatabase(target);
  const connections = new MigrationConnections(target, { kind: 'refuse' });
  const output = await withSchemaEngine(schema, connections, (engine) =>
    engine.applyMigrations({ migrationsList, filters: NO_FILTER }),
  );
  return { applied: output.appliedMigrationNames };
}
