import { createHash, randomBytes } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from './database-url.js';
import { applyMigrations, createMigration, DEFAULT_MIGRATIONS_DIR, DEFAULT_SCHEMA_PATH, migrationStatus } from './index.js';
import { slugifyMigrationName } from './migration-name.js';

// Any database on the test server will do as a starting point; only its server and
// credentials are used.
const serverUrl = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const run = randomBytes(6).toString('hex');
const targetDb = `qadaga_migrate_spec_${run}`;
// Stands for a real database that migration tooling is pointed at but must leave alone.
const realDb = `qadaga_migrate_spec_real_${run}`;

function urlFor(database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function onDatabase<T>(database: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: urlFor(database) });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function localMigrations(): Promise<string[]> {
  const entries = await readdir(DEFAULT_MIGRATIONS_DIR, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('migrations through the WebAssembly schema engine', () => {
  const scratchDirs: string[] = [];

  beforeAll(async () => {
    await onDatabase('postgres', (admin) => admin.query(`CREATE DATABASE "${realDb}"`));
    await onDatabase(realDb, async (real) => {
      await real.query('CREATE TABLE marker (note text NOT NULL)');
      await real.query("INSERT INTO marker VALUES ('must survive')");
    });
  });

  afterAll(async () => {
    await onDatabase('postgres', async (admin) => {
      await admin.query(`DROP DATABASE IF EXISTS "${targetDb}" WITH (FORCE)`);
      await admin.query(`DROP DATABASE IF EXISTS "${realDb}" WITH (FORCE)`);
    });
    await Promise.all(scratchDirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  async function expectMarkerIntact(): Promise<void> {
    const rows = await onDatabase(realDb, (real) => real.query<{ note: string }>('SELECT note FROM marker'));
    expect(rows.rows).toEqual([{ note: 'must survive' }]);
  }

  it('creates the missing database and applies every migration, recorded as prisma migrate deploy does', async () => {
    const names = await localMigrations();
    expect(names.length).toBeGreaterThan(0);
    expect(await migrationStatus(urlFor(targetDb))).toMatchObject({ databaseExists: false, pending: names });

    const { applied } = await applyMigrations({ databaseUrl: urlFor(targetDb) });
    expect(applied).toEqual(names);

    const tables = await onDatabase(targetDb, (db) =>
      db.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"),
    );
    expect(tables.rows.map((row) => row.table_name)).toEqual(
      expect.arrayContaining([
        '_prisma_migrations',
        'source_system',
        'api_key',
        'ledger_chain',
        'ledger_event',
        'ingest_conflict',
        'violation',
      ]),
    );

    const rows = await onDatabase(targetDb, (db) =>
      db.query<{
        migration_name: string;
        checksum: string;
        finished_at: Date | null;
        rolled_back_at: Date | null;
        applied_steps_count: number;
      }>(
        'SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name',
      ),
    );
    const expected = await Promise.all(
      names.map(async (name) => ({
        migration_name: name,
        checksum: sha256(await readFile(path.join(DEFAULT_MIGRATIONS_DIR, name, 'migration.sql'), 'utf8')),
        rolled_back_at: null,
        applied_steps_count: 1,
      })),
    );
    expect(rows.rows).toMatchObject(expected);
    for (const row of rows.rows) expect(row.finished_at).toBeInstanceOf(Date);
  });

  it('applies nothing when run again, and reports nothing pending', async () => {
    const names = await localMigrations();
    expect(await applyMigrations({ databaseUrl: urlFor(targetDb) })).toEqual({ applied: [] });

    const count = await onDatabase(targetDb, (db) => db.query<{ n: string }>('SELECT count(*) AS n FROM _prisma_migrations'));
    expect(Number(count.rows[0]?.n)).toBe(names.length);
    expect(await migrationStatus(urlFor(targetDb))).toEqual({
      databaseExists: true,
      applied: names,
      pending: [],
      failed: [],
      edited: [],
      unknown: [],
    });
  });

  it('finds that the committed migrations end exactly at schema.prisma, without touching the database in the URL', async () => {
    const migrationsDir = await mkdtemp(path.join(os.tmpdir(), 'qadaga-migrations-'));
    scratchDirs.push(migrationsDir);
    await cp(DEFAULT_MIGRATIONS_DIR, migrationsDir, { recursive: true });

    const created = await createMigration({ name: 'nothing to do', serverUrl: urlFor(realDb), migrationsDir });
    expect(created).toBeNull();
    await expectMarkerIntact();
  });

  it('writes a schema change as a new migration, working only on throw-away databases', async () => {
    const scratch = await mkdtemp(path.join(os.tmpdir(), 'qadaga-migrations-'));
    scratchDirs.push(scratch);
    const migrationsDir = path.join(scratch, 'migrations');
    await cp(DEFAULT_MIGRATIONS_DIR, migrationsDir, { recursive: true });
    const schemaPath = path.join(scratch, 'schema.prisma');
    const schema = await readFile(DEFAULT_SCHEMA_PATH, 'utf8');
    await writeFile(schemaPath, `${schema}\nmodel SpecProbe {\n  id Int @id\n\n  @@map("spec_probe")\n}\n`);

    const created = await createMigration({ name: 'Spec probe', serverUrl: urlFor(realDb), migrationsDir, schemaPath });

    expect(created?.name).toMatch(/^\d{14}_spec_probe$/u);
    expect(created?.script).toContain('CREATE TABLE "spec_probe"');
    expect(await readFile(path.join(migrationsDir, created?.name ?? '', 'migration.sql'), 'utf8')).toBe(created?.script);
    expect(await readFile(path.join(migrationsDir, 'migration_lock.toml'), 'utf8')).toContain('provider = "postgresql"');
    await expectMarkerIntact();
  });
});

describe('connection details', () => {
  it('keeps the database as a field of its own, never inside a connection string', () => {
    const target = parseDatabaseUrl('postgresql://app:s%40cret@db.internal:6543/ledger?sslmode=require');
    expect(target).toEqual({
      host: 'db.internal',
      port: 6543,
      user: 'app',
      password: 's@cret',
      database: 'ledger',
      ssl: { rejectUnauthorized: false },
    });
    expect(Object.keys(target)).not.toContain('connectionString');
  });

  it('refuses a schema other than public', () => {
    expect(() => parseDatabaseUrl('postgres://localhost/ledger?schema=audit')).toThrow(/public schema/u);
  });

  it('names migrations the way prisma migrate dev does', () => {
    expect(slugifyMigrationName('Add plate index!')).toBe('add_plate_index');
  });
});
