import pg from 'pg';
import { describeError } from './describe-error.js';
import { CHECK_TIMEOUT_MS, type Log, type Reachability } from './service.js';
import { withTimeLimit } from './time-limit.js';

/** CREATE DATABASE copies template1; give it far longer than a reachability check. */
const CREATE_DATABASE_TIMEOUT_MS = 30_000;
const DUPLICATE_DATABASE = '42P04';

/** The database a connection URL names; required, because "whatever libpq defaults to" would hide typos. */
export function databaseNameOf(databaseUrl: string): string {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//u, ''));
  if (!name) {
    throw new Error(`DATABASE_URL must name a database, e.g. postgres://postgres@127.0.0.1:5432/qadaga (got ${redact(databaseUrl)}).`);
  }
  return name;
}

/** The same server and credentials, but the `postgres` maintenance database, which exists before ours does. */
export function maintenanceUrlOf(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.pathname = '/postgres';
  return url.toString();
}

/** A URL fit for logs: the password replaced. */
export function redact(connectionUrl: string): string {
  try {
    const url = new URL(connectionUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/** Does a PostgreSQL server accept a connection to the maintenance database behind `databaseUrl`? */
export async function checkPostgres(databaseUrl: string): Promise<Reachability> {
  try {
    await withClient(maintenanceUrlOf(databaseUrl), CHECK_TIMEOUT_MS, async () => undefined);
    return { answers: true };
  } catch (error) {
    return { answers: false, reason: describeError(error) };
  }
}

/** Creates the database `databaseUrl` names unless it exists; a concurrent creator winning the race is fine. */
export async function createDatabaseIfMissing(databaseUrl: string, log: Log): Promise<void> {
  const name = databaseNameOf(databaseUrl);
  await withClient(maintenanceUrlOf(databaseUrl), CREATE_DATABASE_TIMEOUT_MS, async (client) => {
    const existing = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (existing.rowCount) return;
    try {
      await client.query(`create database ${client.escapeIdentifier(name)}`);
      log(`created database ${name}`);
    } catch (error) {
      if ((error as { code?: string }).code !== DUPLICATE_DATABASE) throw error;
    }
  });
}

async function withClient<T>(connectionString: string, queryTimeoutMs: number, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    connectionString,
    // pg's own timer covers DNS, TCP and the startup handshake; the outer limit covers the rest.
    connectionTimeoutMillis: CHECK_TIMEOUT_MS,
    query_timeout: queryTimeoutMs,
  });
  // A server dropping the connection mid-check must surface as a rejected query, not an unhandled 'error' event.
  client.on('error', () => undefined);
  const limit = CHECK_TIMEOUT_MS + queryTimeoutMs;
  await withTimeLimit(client.connect(), limit, `no answer from PostgreSQL within ${limit} ms`);
  try {
    return await work(client);
  } finally {
    await withTimeLimit(client.end(), CHECK_TIMEOUT_MS, 'closing the check connection timed out').catch(() => undefined);
  }
}
