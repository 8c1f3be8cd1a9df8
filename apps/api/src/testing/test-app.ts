import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig, type AppConfig } from '@qadaga/config';
import { ApiKeyRepository, UserRepository, createPool, createPrismaClient, type Role, type User, type UserRole } from '@qadaga/db';
import { resetLedger, testDatabaseUrl, testRedisUrl } from '@qadaga/db/testing';
import type pg from 'pg';
import { createApp, registeredRoutes } from '../app.factory.js';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  /** A separate pool for assertions and tampering, as an outsider with SQL access would. */
  pool: pg.Pool;
  keys: { source: string; otherSource: string } & Record<Exclude<Role, 'source'>, string>;
  /** People, one per role and a second prosecutor and rule author for four-eyes steps. */
  users: Record<TestUserName, User>;
  /** Signs a test user in through the API and answers the session's Authorization header. */
  signIn(name: TestUserName): Promise<{ authorization: string }>;
  close(): Promise<void>;
}

export const TEST_PASSWORD = 'correct horse battery staple';
const TEST_USERS = {
  prosecutor: ['prosecutor'],
  prosecutor2: ['prosecutor'],
  author: ['rule_author'],
  author2: ['rule_author'],
  auditor: ['auditor'],
  admin: ['admin'],
} as const satisfies Record<string, readonly UserRole[]>;
export type TestUserName = keyof typeof TEST_USERS;

/** The real application on the real test database and Redis, driven in-process through Fastify. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig({ DATABASE_URL: testDatabaseUrl(), REDIS_URL: testRedisUrl(), LOGIN_ATTEMPTS_PER_MINUTE: '1000', ...env });
  const pool = createPool({ url: config.database.url, size: 4 });
  await resetLedger(pool);
  const prisma = createPrismaClient(pool);
  const repo = new ApiKeyRepository(prisma);
  await repo.ensureSource('sergek-almaty', 'Sergek, Almaty');
  await repo.ensureSource('register', 'Unified register');
  const issue = async (options: Parameters<ApiKeyRepository['issue']>[0]) => (await repo.issue(options)).key;
  const keys = {
    source: await issue({ sourceCode: 'sergek-almaty' }),
    otherSource: await issue({ sourceCode: 'register' }),
    prosecutor: await issue({ roles: ['prosecutor'] }),
    rule_author: await issue({ roles: ['rule_author'] }),
    auditor: await issue({ roles: ['auditor'] }),
    admin: await issue({ roles: ['admin'] }),
  };
  const people = new UserRepository(pool);
  const users = {} as Record<TestUserName, User>;
  for (const [name, roles] of Object.entries(TEST_USERS) as [TestUserName, readonly UserRole[]][]) {
    users[name] = await people.create({ username: name, displayName: `Test ${name}`, password: TEST_PASSWORD, roles: [...roles] });
  }
  const app = await createApp(config, { logger: false });
  return {
    app,
    config,
    pool,
    keys,
    users,
    async signIn(name) {
      const res = await app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: name, password: TEST_PASSWORD } });
      if (res.statusCode !== 200) throw new Error(`sign-in of ${name} failed: ${res.statusCode} ${res.body}`);
      return { authorization: `Bearer ${res.json<{ token: string }>().token}` };
    },
    async close() {
      await app.close();
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

let counter = 0;
/** A valid detection; override any field. */
export function detection(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return {
    source: 'sergek-almaty',
    eventId: `det-${counter}`,
    violationRef: `V-${counter}`,
    type: 'detected',
    occurredAt: '2026-03-01T10:15:00+05:00',
    actor: { kind: 'camera', id: 'CAM-7' },
    payload: { plate: '123 АВС 02', article: '592.1', speed: 87, speedLimit: 60, fine: { amount: 7384, mrp: 3692 } },
    ...overrides,
  };
}

let flagCounter = 0;
/** A flag row as the workers would have raised it, for tests of what people do with flags. */
export async function insertFlag(
  pool: pg.Pool,
  overrides: { ruleId?: string; subjectId?: string; subjectKind?: string; unit?: string | null; severity?: string; score?: number; evidence?: unknown[] } = {},
): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO flag (id, rule_id, rule_version, scheme, subject_kind, subject_id, severity, score, explanation, facts, baseline, evidence, unit, district, window_from, window_to)
     VALUES (gen_random_uuid(), $1, 1, 'officer_outlier_rate', $2, $3, $4, $8, $5, '{"cancelled": 38, "detections": 40}', '{"median": 0.04}', $7, $6, 'Almaly', now() - interval '180 days', now())
     RETURNING id`,
    [overrides.ruleId ?? 'officer-outlier-rate', overrides.subjectKind ?? 'officer', overrides.subjectId ?? `OFF-T${++flagCounter}`, overrides.severity ?? 'high', JSON.stringify({ text: 'Officer cancelled 38 of 40' }), overrides.unit === undefined ? 'U-1' : overrides.unit, JSON.stringify(overrides.evidence ?? []), overrides.score ?? 0.9],
  );
  return (rows[0] as { id: string }).id;
}

/** Every endpoint of the app as "METHOD /path", sorted; the API description, which holds no data, left out. */
export function apiEndpoints(app: NestFastifyApplication): string[] {
  const isDocs = (url: string) => url === '/docs' || url.startsWith('/docs/') || url.startsWith('/docs-');
  return registeredRoutes(app)
    .filter((r) => !isDocs(r.url))
    .map((r) => `${r.method} ${r.url}`)
    .sort();
}
