import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

/**
 * The environment is read once, here, into a typed and nested configuration. Every
 * bad or missing variable is reported by name in one error, so a misconfigured
 * deployment fails at boot with a message an operator can act on.
 */

// 0 asks the OS for a free port (tests, the demo).
const port = z.coerce.number().int().min(0).max(65_535);
const positiveInt = z.coerce.number().int().positive();
const postgresUrl = z
  .string()
  .url()
  .refine((v) => /^postgres(ql)?:\/\//u.test(v), 'must be a postgres:// or postgresql:// URL');
const redisUrl = z
  .string()
  .url()
  .refine((v) => /^rediss?:\/\//u.test(v), 'must be a redis:// or rediss:// URL');
/** One address or one CIDR block, IPv4 or IPv6: what proxy-addr (Fastify's trustProxy) accepts. */
const addressOrBlock = z.string().refine((v) => {
  const [address, bits, ...rest] = v.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^[0-9]{1,3}$/u.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}, 'each entry must be an IP address or a CIDR block such as 10.0.0.0/8');
/** The built workbench: checked at boot, so a missing build stops the API instead of answering every page with 404. */
const webDistDir = z
  .string()
  .transform((v) => path.resolve(v))
  .refine((v) => existsSync(path.join(v, 'index.html')), 'must be a folder holding the built workbench (index.html); build it with `npm run web:build`');
const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Asia/Almaty');

const EnvSchema = z.object({
  DATABASE_URL: postgresUrl.default('postgres://postgres@127.0.0.1:5432/qadaga'),
  DATABASE_POOL_SIZE: positiveInt.max(200).default(10),
  /** A streaming replica of DATABASE_URL for reads that may lag (lists, profiles); unset: every read on the primary. */
  READ_DATABASE_URL: postgresUrl.optional(),
  /** How long a sweep or backtest waits for the replica to replay what the primary held when it began; then it reads the primary. */
  REPLICA_CATCH_UP_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  REDIS_URL: redisUrl.default('redis://127.0.0.1:6379'),
  API_HOST: z.string().min(1).default('0.0.0.0'),
  API_PORT: port.default(3000),
  /** Proxies whose X-Forwarded-For is believed; none by default, so a client cannot choose its own address. */
  TRUSTED_PROXIES: z
    .string()
    .transform((v) => v.split(',').map((a) => a.trim()).filter((a) => a !== ''))
    .pipe(z.array(addressOrBlock))
    .default([]),
  /** Where the built workbench is; set, the API serves it on its own origin. */
  WEB_DIST_DIR: webDistDir.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TIME_ZONE: timeZone.default('Asia/Almaty'),
  INGEST_MAX_BATCH_EVENTS: positiveInt.max(100_000).default(10_000),
  INGEST_MAX_BODY_BYTES: positiveInt.default(32 * 1024 * 1024),
  INGEST_MAX_EVENT_BYTES: positiveInt.default(64 * 1024),
  INGEST_SINGLE_LINGER_MS: z.coerce.number().int().min(0).max(100).default(2),
  INGEST_CONCURRENT_WRITES: positiveInt.max(64).default(2),
  RATE_LIMIT_PER_MINUTE: positiveInt.default(6_000),
  SESSION_TTL_MINUTES: positiveInt.max(7 * 24 * 60).default(8 * 60),
  LOGIN_ATTEMPTS_PER_MINUTE: positiveInt.max(1_000).default(10),
  /** Ed25519 private keys (PKCS#8 PEM files), comma-separated; the first signs, the rest still verify. */
  SIGNING_KEY_FILES: z
    .string()
    .transform((v) => v.split(',').map((f) => f.trim()).filter((f) => f !== ''))
    .pipe(z.array(z.string()).min(1, 'list at least one PEM file'))
    .optional(),
  CHECKPOINT_INTERVAL_MINUTES: positiveInt.max(24 * 60).default(10),
  /** `qadaga ledger archive` refuses a month that ended fewer months ago than this (0: any month that is over). */
  LEDGER_ARCHIVE_MIN_AGE_MONTHS: z.coerce.number().int().min(0).max(1_200).default(24),
  CASE_ATTACHMENT_MAX_BYTES: positiveInt.max(100 * 1024 * 1024).default(5 * 1024 * 1024),
  BUNDLE_MAX_EVENTS: positiveInt.default(1_000_000),
  PUBLIC_MIN_CELL_COUNT: positiveInt.max(1_000).default(10),
  PUBLIC_STATS_CACHE_SECONDS: z.coerce.number().int().min(0).max(30).default(15),
  PUBLIC_RATE_LIMIT_PER_MINUTE: positiveInt.max(1_000_000).default(60),
  BACKTEST_SYNC_MAX_DAYS: positiveInt.max(3_660).default(400),
  FACT_PARALLEL_WORKERS: z.coerce.number().int().min(0).max(64).default(0),
  SWEEP_LOCK_MS: z.coerce.number().int().min(1_000).max(600_000).default(15_000),
  SWEEP_STALLED_CHECK_MS: z.coerce.number().int().min(500).max(600_000).default(5_000),
});

export interface AppConfig {
  /**
   * readUrl: a streaming replica's, or null (every read on the primary). replicaCatchUpMs:
   * how long the facts of a sweep or backtest wait for the replica to replay the primary's
   * position taken when it began, before they are read on the primary instead.
   */
  database: { url: string; poolSize: number; readUrl: string | null; replicaCatchUpMs: number };
  redis: { url: string };
  http: {
    host: string;
    port: number;
    logLevel: string;
    /** Addresses and CIDR blocks of the proxies allowed to name the client (X-Forwarded-For); empty: nobody. */
    trustedProxies: string[];
    /** The built workbench (absolute), served at / beside the API; null: the API serves no pages. */
    webDistDir: string | null;
  };
  timeZone: string;
  ingest: {
    maxBatchEvents: number;
    maxBodyBytes: number;
    maxEventBytes: number;
    /** How long a single-event request waits for others to share its transaction. */
    singleLingerMs: number;
    /** Batch transactions one API process runs at once; more requests than that wait prepared. */
    concurrentWrites: number;
  };
  rateLimitPerMinute: number;
  auth: {
    sessionTtlMinutes: number;
    /** Per client address: slows password guessing without locking accounts out. */
    loginAttemptsPerMinute: number;
  };
  evidence: {
    /** Absent: an ephemeral key is made at start (fine for a demo, useless for a court). */
    signingKeyFiles: string[] | null;
    checkpointIntervalMinutes: number;
    maxBundleEvents: number;
    /** Months that must have passed since a month ended before it may be archived. */
    archiveMinAgeMonths: number;
  };
  cases: { attachmentMaxBytes: number };
  /**
   * Public aggregates: counts below the minimum are withheld; an answer is reused for at
   * most cacheSeconds; each client address may ask perMinute times a minute.
   */
  publicStats: { minCellCount: number; cacheSeconds: number; perMinute: number };
  /** Backtests over at most syncMaxDays answer in the request; longer ones run as a worker job. */
  backtest: { syncMaxDays: number };
  /**
   * PostgreSQL parallel workers per fact query of a sweep. 0 suits a database host with
   * no more cores than the sweep's fact connections (two); raise it where the database
   * has cores to spare.
   */
  detection: { factParallelWorkers: number };
  /**
   * A sweep part's lock in Redis, renewed while its worker lives, and how often workers
   * look for parts whose lock lapsed (their worker died): such a part runs again on another
   * worker after about lockMs + stalledCheckMs.
   */
  sweep: { lockMs: number; stalledCheckMs: number };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  // Empty strings mean "unset" in most deployment tools; treat them so.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  return {
    database: { url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE, readUrl: e.READ_DATABASE_URL ?? null, replicaCatchUpMs: e.REPLICA_CATCH_UP_MS },
    redis: { url: e.REDIS_URL },
    http: { host: e.API_HOST, port: e.API_PORT, logLevel: e.LOG_LEVEL, trustedProxies: e.TRUSTED_PROXIES, webDistDir: e.WEB_DIST_DIR ?? null },
    timeZone: e.TIME_ZONE,
    ingest: {
      maxBatchEvents: e.INGEST_MAX_BATCH_EVENTS,
      maxBodyBytes: e.INGEST_MAX_BODY_BYTES,
      maxEventBytes: e.INGEST_MAX_EVENT_BYTES,
      singleLingerMs: e.INGEST_SINGLE_LINGER_MS,
      concurrentWrites: e.INGEST_CONCURRENT_WRITES,
    },
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    auth: { sessionTtlMinutes: e.SESSION_TTL_MINUTES, loginAttemptsPerMinute: e.LOGIN_ATTEMPTS_PER_MINUTE },
    evidence: {
      signingKeyFiles: e.SIGNING_KEY_FILES ?? null,
      checkpointIntervalMinutes: e.CHECKPOINT_INTERVAL_MINUTES,
      maxBundleEvents: e.BUNDLE_MAX_EVENTS,
      archiveMinAgeMonths: e.LEDGER_ARCHIVE_MIN_AGE_MONTHS,
    },
    cases: { attachmentMaxBytes: e.CASE_ATTACHMENT_MAX_BYTES },
    publicStats: { minCellCount: e.PUBLIC_MIN_CELL_COUNT, cacheSeconds: e.PUBLIC_STATS_CACHE_SECONDS, perMinute: e.PUBLIC_RATE_LIMIT_PER_MINUTE },
    backtest: { syncMaxDays: e.BACKTEST_SYNC_MAX_DAYS },
    detection: { factParallelWorkers: e.FACT_PARALLEL_WORKERS },
    sweep: { lockMs: e.SWEEP_LOCK_MS, stalledCheckMs: e.SWEEP_STALLED_CHECK_MS },
  };
}

/** The process's configuration; the only place that reads process.env. */
export function configFromProcess(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({ ...process.env, ...overrides });
}
