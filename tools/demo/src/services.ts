import { join } from 'node:path';
import { describeError } from './describe-error.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { findExecutable } from './find-executable.js';
import { checkPostgres, createDatabaseIfMissing, databaseNameOf, redact } from './postgres.js';
import { checkRedis } from './redis.js';
import { startRedisServer } from './redis-server.js';
import type { EnsuredService, Log } from './service.js';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/qadaga';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
/** Under /tmp because, as root, the embedded cluster runs as the `postgres` user, which must reach it. */
export const DEFAULT_DATA_DIR = '/tmp/qadaga-demo';

export interface EnsureServicesOptions {
  /** Defaults to $DATABASE_URL, then DEFAULT_DATABASE_URL. */
  databaseUrl?: string;
  /** Defaults to $REDIS_URL, then DEFAULT_REDIS_URL. */
  redisUrl?: string;
  /** Where started services keep files: `<dataDir>/pg` (kept across runs), `<dataDir>/redis`. */
  dataDir?: string;
  log?: (line: string) => void;
}

export interface RunningServices {
  databaseUrl: string;
  redisUrl: string;
  /** What this call started ("embedded-postgres", "redis-server"); empty when both were already running. */
  started: string[];
  /** Stops only what this call started; safe to call more than once. */
  stop(): Promise<void>;
}

/**
 * PostgreSQL and Redis for the demo: the configured ones when they answer, otherwise local
 * stand-ins (embedded PostgreSQL, a spawned redis-server). Either way the database the URL
 * names exists when this resolves. If anything fails, whatever was started is stopped again.
 */
export async function ensureServices(options: EnsureServicesOptions = {}): Promise<RunningServices> {
  const log = options.log ?? (() => undefined);
  // `||`, not `??`: an empty DATABASE_URL= in a .env file means "not set", not "connect to ''".
  const databaseUrl = options.databaseUrl || process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const redisUrl = options.redisUrl || process.env.REDIS_URL || DEFAULT_REDIS_URL;
  const dataDir = options.dataDir || DEFAULT_DATA_DIR;

  // Independent, so checked and (if need be) started side by side.
  const outcomes = await Promise.allSettled([
    ensurePostgres(databaseUrl, join(dataDir, 'pg'), log),
    ensureRedis(redisUrl, join(dataDir, 'redis'), log),
  ]);
  const ready = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const stop = stopAll(ready);
  const failure = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failure) {
    await stop().catch((error: unknown) => log(`cleaning up after a failed start: ${describeError(error)}`));
    throw failure.reason;
  }
  const [postgres, redis] = ready as [EnsuredService, EnsuredService];
  return {
    databaseUrl: postgres.url,
    redisUrl: redis.url,
    started: ready.flatMap((service) => (service.started ? [service.started] : [])),
    stop,
  };
}

async function ensurePostgres(databaseUrl: string, pgDir: string, log: Log): Promise<EnsuredService> {
  const databaseName = databaseNameOf(databaseUrl);
  const check = await checkPostgres(databaseUrl);
  let service: EnsuredService;
  if (check.answers) {
    log(`PostgreSQL answers at ${redact(databaseUrl)}`);
    service = { url: databaseUrl, stop: async () => undefined };
  } else {
    log(`no PostgreSQL at ${redact(databaseUrl)} (${check.reason}); using embedded PostgreSQL`);
    service = await startEmbeddedPostgres(pgDir, databaseName, log);
  }
  try {
    await createDatabaseIfMissing(service.url, log);
  } catch (error) {
    await service.stop().catch(() => undefined);
    throw new Error(`Could not create database ${databaseName} at ${redact(service.url)}: ${describeError(error)}`);
  }
  return service;
}

async function ensureRedis(redisUrl: string, workDir: string, log: Log): Promise<EnsuredService> {
  const check = await checkRedis(redisUrl);
  if (check.answers) {
    log(`Redis answers at ${redact(redisUrl)}`);
    return { url: redisUrl, stop: async () => undefined };
  }
  const redisServer = await findExecutable('redis-server');
  if (!redisServer) {
    throw new Error(
      `No Redis answers at ${redact(redisUrl)} (${check.reason}) and redis-server is not installed. Either:\n` +
        `  - install it: ${process.getuid?.() === 0 ? '' : 'sudo '}apt-get install redis-server   (macOS: brew install redis)\n` +
        '  - or set REDIS_URL to a Redis that is running, e.g. REDIS_URL=redis://host:6379\n' +
        '  - or run one in Docker from the repository root: docker compose up redis',
    );
  }
  log(`no Redis at ${redact(redisUrl)} (${check.reason}); starting redis-server`);
  return startRedisServer(redisServer, workDir, log);
}

/** Stops every service side by side (they do not depend on each other); reports the first failure after trying all. */
function stopAll(services: EnsuredService[]): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= (async () => {
      const results = await Promise.allSettled(services.map((service) => service.stop()));
      const failure = results.find((result) => result.status === 'rejected');
      if (failure) throw failure.reason;
    })();
    return stopping;
  };
}
