import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { MigrationList } from '@prisma/schema-engine-wasm';
import { parseDatabaseUrl } from './database-url.js';
import { assertMigrationTimestamp, migrationTimestamp, slugifyMigrationName } from './migration-name.js';
import { isEmptyDirectory, migrationNames, readMigrationList, writeMigration } from './migrations-directory.js';
import { DEFAULT_MIGRATIONS_DIR, DEFAULT_SCHEMA_PATH } from './paths.js';
import { diffHistoryToSchema } from './schema-diff.js';
import { readSchemaFile } from './schema-engine.js';

export interface CreateMigrationOptions {
  /** Free text; it becomes the lowercase, underscored end of the directory name. */
  name: string;
  /**
   * Only the server and credentials are used; the database in the URL is never opened.
   * The engine works in databases created for the run and dropped after it.
   */
  serverUrl: string;
  migrationsDir?: string;
  schemaPath?: string;
  /**
   * YYYYMMDDHHMMSS (UTC). Defaults to the timestamp of an empty directory already made
   * for this name, else to now, as `prisma migrate dev` does.
   */
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
 * null when there is no difference.
 *
 * Normally the new migration goes after all others. An empty directory made in advance
 * may sit earlier in the history (hand-written migrations after it building on it); it
 * is then filled from the migrations before it, and the whole history is replayed once
 * more to prove it now ends exactly at schema.prisma.
 */
export async function createMigration(options: CreateMigrationOptions): Promise<CreatedMigration | null> {
  const slug = slugifyMigrationName(options.name);
  if (slug === '') throw new Error(`"${options.name}" leaves nothing to name a migration with.`);
  if (options.timestamp !== undefined) assertMigrationTimestamp(options.timestamp);

  const migrationsDir = options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR;
  const all = await readMigrationList(migrationsDir);
  const reserved = await reservedDirectory(all, slug, options.timestamp);
  const name = reserved ?? `${options.timestamp ?? migrationTimestamp(new Date())}_${slug}`;
  if (reserved === undefined && migrationNames(all).includes(name)) {
    throw new Error(`The migration directory ${name} already exists and is not empty.`);
  }
  const later = migrationNames(all).filter((existing) => existing !== name && existing.localeCompare(name) > 0);
  if (reserved === undefined && later.length > 0) {
    // Migrations apply in name order; slipping one in before applied ones rewrites history.
    throw new Error(`${name} would sort before existing migrations (${later.join(', ')}).`);
  }

  const schema = await readSchemaFile(options.schemaPath ?? DEFAULT_SCHEMA_PATH);
  const server = parseDatabaseUrl(options.serverUrl);
  const history = onlyBefore(all, name);
  const output = await diffHistoryToSchema({ server, history, schema, slug });
  if (output.migrationScript === null) return null;

  const scriptPath = await writeMigration({
    migrationsDir,
    name,
    script: output.migrationScript,
    extension: output.extension,
    provider: output.connectorType,
  });
  if (later.length > 0) {
    const rest = await diffHistoryToSchema({ server, history: await readMigrationList(migrationsDir), schema, slug });
    if (rest.migrationScript !== null) {
      await rm(scriptPath);
      throw new Error(
        `Filled into ${name}, the migrations after it (${later.join(', ')}) would no longer end at ` +
          `schema.prisma; nothing was written. They would still need:\n${rest.migrationScript}`,
      );
    }
  }
  return { name, scriptPath, script: output.migrationScript };
}

/**
 * The empty directory made in advance for this migration, if there is one: the one with
 * the given timestamp, or without a timestamp the only `<timestamp>_<slug>` that is empty.
 */
async function reservedDirectory(list: MigrationList, slug: string, timestamp?: string): Promise<string | undefined> {
  const candidates = migrationNames(list).filter((name) =>
    timestamp === undefined ? name.match(/^\d{14}_(.*)$/u)?.[1] === slug : name === `${timestamp}_${slug}`,
  );
  const empty: string[] = [];
  for (const name of candidates) {
    if (await isEmptyDirectory(path.join(list.baseDir, name))) empty.push(name);
  }
  return empty.length === 1 ? empty[0] : undefined;
}

function onlyBefore(list: MigrationList, name: string): MigrationList {
  return { ...list, migrationDirectories: list.migrationDirectories.filter((d) => d.path.localeCompare(name) < 0) };
}
