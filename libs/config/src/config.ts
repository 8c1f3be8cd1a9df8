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
  REDIS_URL: redisUrl.default('redis://127.0.0.1:6379'),
  API_HOST: z.string().min(1).default('0.0.0.0'),
  API_PORT: port.default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TIME_ZONE: timeZone.default('Asia/Almaty'),
  INGEST_MAX_BATCH_EVENTS: positiveInt.max(100_000).default(10_000),
  INGEST_MAX_BODY_BYTES: positiveInt.default(32 * 1024 * 1024),
  INGEST_MAX_EVENT_BYTES: positiveInt.default(64 * 1024),
  INGEST_SINGLE_LINGER_MS: z.coerce.number().int().min(0).max(100).default(2),
  RATE_LIMIT_PER_MINUTE: positiveInt.default(6_000),
});

export interface AppConfig {
  database: { url: string; poolSize: number };
  redis: { url: string };
  http: { host: string; port: number; logLevel: string };
  timeZone: string;
  ingest: {
    maxBatchEvents: number;
    maxBodyBytes: number;
    maxEventBytes: number;
    /** How long a single-event request waits for others to share its transaction. */
    singleLingerMs: number;
  };
  rateLimitPerMinute: number;
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
    database: { url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE },
    redis: { url: e.REDIS_URL },
    http: { host: e.API_HOST, port: e.API_PORT, logLevel: e.LOG_LEVEL },
    timeZone: e.TIME_ZONE,
    ingest: {
      maxBatchEvents: e.INGEST_MAX_BATCH_EVENTS,
      maxBodyBytes: e.INGEST_MAX_BODY_BYTES,
      maxEventBytes: e.INGEST_MAX_EVENT_BYTES,
      singleLingerMs: e.INGEST_SINGLE_LINGER_MS,
    },
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
  };
}

/** The process's configuration; the only place that reads process.env. */
export function configFromProcess(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({ ...process.env, ...overrides });
}
