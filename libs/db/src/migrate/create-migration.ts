import path from 'node:path';
import type { MigrationList } from '@prisma/schema-engine-wasm';
import { parseDatabaseUrl } from './database-url.js';
import { MigrationConnections } from './migration-connections.js';
import { assertMigrationTimestamp, migrationTimestamp, slugifyMigrationName } from './migration-name.js';
import { isEmptyDirectory, migrationNames, readMigrationList, writeMigration } from './migrations-directory.js';
import { DEFAULT_MIGRATIONS_DIR, DEFAULT_SCHEMA_PATH } from './paths.js';
import { NO_FILTER, readSchemaFile, withSchemaEngine } from './schema-engine.js';
import { withThrowawayDatabase } from './throwaway-database.js';

export interface CreateMigrationOptions {
  /** Free text; it becomes the lowercase, underscored end of the directory name. */
  name: string;
  /**
   * Only the server and credentials are used; the database in the URL is never opened.
   * Both databases the engine works on are created for the run and dropped after it.
   */
  serverUrl: string;
  migrationsDir?: string;
  schemaPath?: string;
  /** YYYYMMDDHHMMSS (UTC); defaults to now, as `prisma migrate dev` does. */
  timestamp?: string;
}

export interface CreatedMigration {
  name: string;
  scriptPath: string;
  script: string;
}

/**
 * What `prisma migrate dev --create-only` does: replays the existing migrations, compares
 * the result with schema.prisma, and writes the difference as a new migration. Returns
 * null when the schema has not changed.
 *
 * The engine runs on a throw-away main database and gets a throw-away shadow database.
 * Replaying history resets whatever database it runs on, so no real database is opened
 * at all, not even read.
 */
export async function createMigration(options: CreateMigrationOptions): Promise<CreatedMigration | null> {
  const slug = slugifyMigrationName(options.name);
  if (slug === '') throw new Error(`"${options.name}" leaves nothing to name a migration with.`);
  if (options.timestamp !== undefined) assertMigrationTimestamp(options.timestamp);

  const migrationsDir = options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR;
  const name = `${options.timestamp ?? migrationTimestamp(new Date())}_${slug}`;
  const migrationsList = await withoutReservedDirectory(await readMigrationList(migrationsDir), name);
  const latest = migrationNames(migrationsList).at(-1);
  if (latest !== undefined && latest.localeCompare(name) >= 0) {
    // Migrations apply in name order; one sorting before history would run out of order.
    throw new Error(`${name} would sort before the latest migration, ${latest}.`);
  }

  const schema = await readSchemaFile(options.schemaPath ?? DEFAULT_SCHEMA_PATH);
  const server = parseDatabaseUrl(options.serverUrl);
  const output = await withThrowawayDatabase(server, 'main', (main) =>
    withSchemaEngine(schema, new MigrationConnections(main, { kind: 'throwaway', server }), async (engine) => {
      // createMigration is not handed the adapter factory, so it cannot make a shadow
      // database itself: it reads the replayed history from a cache that devDiagnostic
      // fills, and devDiagnostic only replays the migrations the main database has. So,
      // as `prisma migrate dev` does, bring the (throw-away) main database up to date first.
      await engine.applyMigrations({ migrationsList, filters: NO_FILTER });
      const diagnostic = await engine.devDiagnostic({ migrationsList, filters: NO_FILTER });
      if (diagnostic.action.tag === 'reset') {
        throw new Error(`The migration history does not replay cleanly: ${diagnostic.action.reason}`);
      }
      return engine.createMigration({
        draft: false,
        migrationName: slug,
        migrationsList,
        schema: { files: [schema] },
        filters: NO_FILTER,
      });
    }),
  );
  if (output.migrationScript === null) return null;

  const scriptPath = await writeMigration({
    migrationsDir,
    name,
    script: output.migrationScript,
    extension: output.extension,
    provider: output.connectorType,
  });
  return { name, scriptPath, script: output.migrationScript };
}

/**
 * A directory already made for this migration (empty, nothing written yet) is not part
 * of the history; any other existing directory of that name is.
 */
async function withoutReservedDirectory(list: MigrationList, name: string): Promise<MigrationList> {
  if (!migrationNames(list).includes(name)) return list;
  if (!(await isEmptyDirectory(path.join(list.baseDir, name)))) {
    throw new Error(`The migration directory ${name} already exists and is not empty.`);
  }
  return { ...list, migrationDirectories: list.migrationDirectories.filter((d) => d.path !== name) };
}
