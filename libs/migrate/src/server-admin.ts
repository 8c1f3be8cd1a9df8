import pg from 'pg';
import { clientConfig, onDatabase, type PgDatabase, type PgServer } from './database-url.js';

// Every server has it; CREATE and DROP DATABASE must run from some other database.
const MAINTENANCE_DATABASE = 'postgres';

const INVALID_CATALOG_NAME = '3D000'; // "database ... does not exist"
const DUPLICATE_DATABASE = '42P04';

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export async function withClient<T>(target: PgDatabase, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(clientConfig(target));
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function isMissingDatabase(error: unknown): boolean {
  return pgErrorCode(error) === INVALID_CATALOG_NAME;
}

/**
 * Creates the target database if it is missing. The maintenance database is only opened
 * when connecting to the target has failed because it does not exist, so a deployment
 * to an existing database touches nothing else.
 */
export async function ensureDatabase(target: PgDatabase): Promise<{ created: boolean }> {
  try {
    await withClient(target, async () => undefined);
    return { created: false };
  } catch (error) {
    if (!isMissingDatabase(error)) throw error;
  }
  try {
    await createDatabase(target, target.database);
    return { created: true };
  } catch (error) {
    // Another process created it in between: that is what we wanted.
    if (pgErrorCode(error) === DUPLICATE_DATABASE) return { created: false };
    throw error;
  }
}

export async function createDatabase(server: PgServer, database: string): Promise<void> {
  await withClient(onDatabase(server, MAINTENANCE_DATABASE), async (client) => {
    await client.query(`CREATE DATABASE ${quoteIdent(database)}`);
  });
}

/** FORCE ends sessions still open on it, such as a pool that was not closed in time. */
export async function dropDatabaseForce(server: PgServer, database: string): Promise<void> {
  await withClient(onDatabase(server, MAINTENANCE_DATABASE), async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
  });
}

export async function databaseExists(server: PgServer, database: string): Promise<boolean> {
  return withClient(onDatabase(server, MAINTENANCE_DATABASE), async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    return found.rowCount === 1;
  });
}

function pgErrorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return undefined;
}
