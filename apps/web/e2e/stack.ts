import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { chromium, type Browser } from 'playwright-core';
import { DistrictBoundaryRepository, ReferenceRepository, RuleRepository, UserRepository, bundledBoundaries, createPool, createPrismaClient } from '@qadaga/db';
import { IngestPipeline, LedgerWriter, ingestStream } from '@qadaga/ledger';
import { resetLedger, testDatabaseUrl, testRedisUrl } from '@qadaga/db/testing';
import { RuleRunner, installRulePack } from '@qadaga/detection';
import { startApiProcess, startWorkerProcess, type ApiProcess } from '@qadaga/demo';
import { generateSigningKey } from '@qadaga/evidence';
import { simulateCity } from '@qadaga/simulator';

/**
 * The whole product as a user meets it: a small simulated city loaded through the real
 * ingest pipeline, the rule pack swept over it, the API and a worker as processes, the
 * built workbench served by the API on its own origin (WEB_DIST_DIR) as deployed, and
 * Debian's Chromium driving it.
 */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const PASSWORD = 'qadaga-demo';
export const USERS = [
  { username: 'prosecutor', displayName: 'Aigerim Prosecutor', roles: ['prosecutor'] as const },
  { username: 'prosecutor2', displayName: 'Daulet Prosecutor', roles: ['prosecutor'] as const },
  { username: 'author', displayName: 'Ruslan Author', roles: ['rule_author'] as const },
  { username: 'author2', displayName: 'Saule Author', roles: ['rule_author'] as const },
  { username: 'auditor', displayName: 'Marat Auditor', roles: ['auditor'] as const },
];
/** Chromium as Debian ships it; no browser is downloaded. */
export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface Stack {
  api: ApiProcess;
  webUrl: string;
  browser: Browser;
  simulationEnd: Date;
  stop(): Promise<void>;
}

/** Reads the seeded city as the journeys need it (a plate to type, say), on a connection of its own. */
export async function readSeeded<R extends object>(sql: string, params: unknown[] = []): Promise<R[]> {
  const pool = createPool({ url: testDatabaseUrl(), size: 1, applicationName: 'qadaga-web-e2e' });
  try {
    return (await pool.query(sql, params)).rows as R[];
  } finally {
    await pool.end();
  }
}

async function seed(end: Date): Promise<void> {
  const pool = createPool({ url: testDatabaseUrl(), size: 4, applicationName: 'qadaga-web-e2e' });
  const prisma = createPrismaClient(pool);
  try {
    await resetLedger(pool);
    // The boundaries the product ships, as the demo loads them: the maps draw these districts.
    await new DistrictBoundaryRepository(pool).replace(bundledBoundaries());
    const city = simulateCity({ seed: 11, violations: 3_000, end: end.toISOString() });
    await new ReferenceRepository(pool).load(city.reference);
    await ingestStream(new IngestPipeline(new LedgerWriter(pool)), city.events());
    await pool.query('ANALYZE');
    const rules = new RuleRepository(prisma);
    await installRulePack(rules);
    await new RuleRunner(pool, rules, 'Asia/Almaty').evaluate({ asOf: end });
    const users = new UserRepository(pool);
    for (const u of USERS) await users.upsert({ ...u, roles: [...u.roles], password: PASSWORD, locale: 'en' });
  } finally {
    await prisma.$disconnect();
    await pool.end();
  }
}

/**
 * Builds the workbench from the sources under test into apps/web/dist, or into
 * E2E_WEB_DIST so that two runs on one host do not build over each other, and answers
 * where the build is.
 */
function buildWeb(): string {
  // eslint-disable-next-line no-restricted-properties -- the test harness's own switch, not the product's configuration
  const outDir = process.env['E2E_WEB_DIST'] ?? path.join(ROOT, 'apps/web/dist');
  const result = spawnSync('npm', ['run', 'build', '--workspace', '@qadaga/web', '--silent', '--', '--outDir', outDir], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`the workbench did not build:\n${result.stdout}\n${result.stderr}`);
  return outDir;
}

const stopChild = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

/**
 * Waits until the worker has relayed every seeded event and evaluated every subject they
 * touched, so the journeys run on flags nothing else is still changing.
 */
async function workerCaughtUp(timeoutMs = 180_000): Promise<void> {
  const pool = createPool({ url: testDatabaseUrl(), size: 1, applicationName: 'qadaga-web-e2e' });
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await pool.query<{ behind: number; pending: number }>(
        `SELECT (SELECT count(*) FROM ledger_chain c
                  WHERE c.head_seq > coalesce((SELECT max(o.seq) FROM outbox_cursor o WHERE o.chain_id = c.chain_id), 0))::int AS behind,
                (SELECT count(*) FROM pending_evaluation)::int AS pending`,
      );
      const state = rows[0] ?? { behind: 1, pending: 1 };
      if (state.behind === 0 && state.pending === 0) return;
      if (Date.now() > deadline) throw new Error(`the worker did not catch up: ${state.behind} chains behind, ${state.pending} subjects pending`);
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    await pool.end();
  }
}

/**
 * The simulated year ends at the last midnight in Almaty (19:00 UTC, as the simulator's own
 * default end) that starts a Monday and is at least a day past, so every page's default
 * period has data. An end at the hour the tests started moved the whole city against the
 * officers' shifts, and at some hours of the day the planted speed-downgrade officer was no
 * longer flagged; an end on any day of the week gave that officer too few edits in the last
 * 180 days on two weekdays in seven, and the rule author's backtest no new flag on others.
 * Ending on the same weekday, the city is laid out the same way against the week every time.
 */
export function simulationEndFor(now: Date): Date {
  const day = 86_400_000;
  const almatyMidnight = 19 * 3_600_000;
  const yesterday = Math.floor((now.getTime() - almatyMidnight) / day) * day + almatyMidnight - day;
  // The weekday of the Almaty date that begins at `yesterday` (0 Sunday .. 6 Saturday).
  const weekday = new Date(yesterday + 5 * 3_600_000).getUTCDay();
  return new Date(yesterday - ((weekday + 6) % 7) * day);
}

export async function startStack(): Promise<Stack> {
  const simulationEnd = simulationEndFor(new Date());
  const redis = new Redis(testRedisUrl(), { lazyConnect: true });
  await redis.connect();
  await redis.flushdb();
  redis.disconnect();
  await seed(simulationEnd);
  const webDist = buildWeb();
  // As deployed: the worker signs with the private key, the API pins its public half.
  const keys = mkdtempSync(path.join(tmpdir(), 'qadaga-e2e-keys-'));
  const key = generateSigningKey();
  writeFileSync(path.join(keys, 'signing.pem'), key.privateKeyPem, { mode: 0o600 });
  writeFileSync(path.join(keys, 'signing.pub.pem'), key.publicKeyPem);
  const env = { DATABASE_URL: testDatabaseUrl(), REDIS_URL: testRedisUrl(), LOGIN_ATTEMPTS_PER_MINUTE: '1000', LOG_LEVEL: 'warn' };
  const api = await startApiProcess({ ...env, API_HOST: '127.0.0.1', API_PORT: '0', WEB_DIST_DIR: webDist, SIGNING_KEY_FILES: path.join(keys, 'signing.pub.pem') });
  const worker = startWorkerProcess({ ...env, SIGNING_KEY_FILES: path.join(keys, 'signing.pem') });
  const stopProcesses = () => Promise.all([stopChild(worker), api.stop()]);
  try {
    await workerCaughtUp();
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    return {
      api,
      webUrl: api.url,
      browser,
      simulationEnd,
      async stop() {
        await browser.close();
        await stopProcesses();
      },
    };
  } catch (error) {
    // A stack that fails to start (no Chromium, a worker that never catches up) must not
    // leave its worker behind: it would go on draining the shared test database's outbox
    // under the test files that run next.
    await stopProcesses();
    throw error;
  }
}
