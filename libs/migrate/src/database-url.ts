import type pg from 'pg';

/** Where a PostgreSQL server is, and who we are on it; no database chosen. */
export interface PgServer {
  host: string;
  port: number;
  user: string;
  password: string | undefined;
  ssl: pg.ClientConfig['ssl'];
}

/** One database on a server. */
export interface PgDatabase extends PgServer {
  database: string;
}

/**
 * Splits a postgres:// URL into discrete fields. Connections here are always built from
 * these fields and never from a connection string: pg lets a `connectionString` override
 * a `database` given next to it, which is how adapter-pg's own shadow database ends up
 * being the real one.
 */
export function parseDatabaseUrl(databaseUrl: string): PgDatabase {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new Error('The database URL is not a valid URL.');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new Error(`The database URL must start with postgres:// or postgresql://, not ${url.protocol}//.`);
  }
  const schema = url.searchParams.get('schema');
  if (schema !== null && schema !== 'public') {
    // The migrations are written for the public schema; applying them elsewhere would
    // silently produce a database the application does not look at.
    throw new Error(`Only the public schema is supported, not ?schema=${schema}.`);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//u, ''));
  if (database === '') {
    throw new Error('The database URL names no database.');
  }
  return {
    // A `host` parameter is how libpq URLs point at a Unix socket directory.
    host: url.searchParams.get('host') ?? (url.hostname.replace(/^\[(.*)\]$/u, '$1') || '127.0.0.1'),
    port: url.port === '' ? 5432 : Number(url.port),
    user: decodeURIComponent(url.username) || 'postgres',
    password: url.password === '' ? undefined : decodeURIComponent(url.password),
    ssl: sslFromMode(url.searchParams.get('sslmode')),
    database,
  };
}

function sslFromMode(mode: string | null): pg.ClientConfig['ssl'] {
  switch (mode) {
    case null:
    case 'disable':
      return undefined;
    case 'verify-ca':
    case 'verify-full':
      return { rejectUnauthorized: true };
    default:
      // prefer/require/allow: encrypted, but like libpq without verifying the certificate.
      return { rejectUnauthorized: false };
  }
}

export function onDatabase(server: PgServer, database: string): PgDatabase {
  const { host, port, user, password, ssl } = server;
  return { host, port, user, password, ssl, database };
}

/** The same fields as pg wants them, with no connection string anywhere. */
export function clientConfig(target: PgDatabase): pg.ClientConfig {
  const { host, port, user, password, ssl, database } = target;
  return { host, port, user, password, ssl, database };
}
