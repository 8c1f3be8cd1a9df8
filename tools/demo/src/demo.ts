import 'reflect-metadata';
import { loadConfig } from '@qadaga/config';
import { ApiKeyRepository, DistrictBoundaryRepository, ReferenceRepository, RuleRepository, bundledBoundaries, createPool, createPrismaClient, type Role } from '@qadaga/db';
import { IngestPipeline, LedgerWriter, ingestStream } from '@qadaga/ledger';
import { applyMigrations } from '@qadaga/migrate';
import { RuleRunner, installRulePack } from '@qadaga/detection';
import { simulateCity } from '@qadaga/simulator';
import { ROOT, startApiProcess, startWorkerProcess } from './api-process.js';
import { DEMO_PASSWORD, DEMO_USERS, demoSigningKeyFile, seedDemoUsers } from './demo-people.js';
import { ensureServices } from './services.js';
import { builtWorkbench } from './workbench.js';
import { waitForFirstEvaluation } from './first-evaluation.js';

/**
 * `npm run demo`: the product on this machine with realistic data. Uses the PostgreSQL and
 * Redis it finds (DATABASE_URL, REDIS_URL), starts local ones where none answer, loads a
 * simulated city through the same ingest pipeline the API uses, and serves the API.
 * Running it again adds nothing: every event comes back as a duplicate.
 */
const SIMULATED_VIOLATIONS = Number(process.env['DEMO_VIOLATIONS'] ?? 20_000);
/** The simulated year ends here; the demo's flags are judged as of this instant. */
const SIMULATION_END = '2026-10-31T19:00:00Z';
const smoke = process.argv.includes('--smoke');
const log = (line: string) => process.stderr.write(`${line}\n`);

const services = await ensureServices({ log });
const config = loadConfig({ ...process.env, DATABASE_URL: services.databaseUrl, REDIS_URL: services.redisUrl });
log(`database ${services.databaseUrl.replace(/:[^:@/]+@/u, ':***@')}, redis ${services.redisUrl}`);

const { applied } = await applyMigrations({ databaseUrl: config.database.url });
if (applied.length > 0) log(`migrations applied: ${applied.join(', ')}`);

const pool = createPool({ url: config.database.url, size: 4, applicationName: 'qadaga-demo' });
const prisma = createPrismaClient(pool);
const keys = new ApiKeyRepository(prisma);
const city = simulateCity({ seed: 2026, violations: SIMULATED_VIOLATIONS });
await new ReferenceRepository(pool).load(city.reference);
// Almaty's districts (OpenStreetMap, bundled), unless an operator loaded boundaries of their own.
const boundaries = new DistrictBoundaryRepository(pool);
if ((await boundaries.list()).boundaries.length === 0) log(`district boundaries: ${(await boundaries.replace(bundledBoundaries())).loaded} loaded`);

log(`loading a simulated city: ${SIMULATED_VIOLATIONS.toLocaleString('en-US')} violations with planted schemes ...`);
const totals = await ingestStream(new IngestPipeline(new LedgerWriter(pool)), city.events());
log(`  ${totals.accepted} accepted, ${totals.duplicates} duplicates, ${totals.rejected} rejected in ${totals.seconds.toFixed(1)} s`);

await pool.query('ANALYZE');
const rules = new RuleRepository(prisma);
await installRulePack(rules);
log('running the rule pack over the simulated year ...');
const sweep = await new RuleRunner(pool, rules, config.timeZone).evaluate({ asOf: new Date(SIMULATION_END) });
log(`  ${sweep.rules} rules, ${sweep.fired} subjects flagged (${sweep.raised} new flags)`);

const issued: Record<string, string> = {};
issued['source (sergek-almaty)'] = (await keys.issue({ sourceCode: 'sergek-almaty', label: 'demo' })).key;
for (const role of ['prosecutor', 'rule_author', 'auditor', 'admin'] as Role[]) issued[role] = (await keys.issue({ roles: [role], label: 'demo' })).key;
await seedDemoUsers(pool);
const signingKeyFile = demoSigningKeyFile(ROOT);
await prisma.$disconnect();
await pool.end();

const api = await startApiProcess({
  DATABASE_URL: config.database.url,
  REDIS_URL: config.redis.url,
  API_HOST: '127.0.0.1',
  API_PORT: smoke ? '0' : String(config.http.port),
  // The API serves the workbench on its own origin: no proxy, so none to trust.
  WEB_DIST_DIR: builtWorkbench(),
  // The API verifies bundles against the keys it is given (it reads only the public half).
  SIGNING_KEY_FILES: signingKeyFile,
});
const base = api.url;
// The worker keeps evaluating what arrives from now on.
const worker = startWorkerProcess({ DATABASE_URL: config.database.url, REDIS_URL: config.redis.url, SIGNING_KEY_FILES: signingKeyFile });

// Ready means settled: the worker relays and evaluates what the load marked, and until it
// has, the number of flags would still be growing under the reader's eyes.
log('waiting for the worker to evaluate what was loaded ...');
const settled = await waitForFirstEvaluation(config.database.url, {
  timeoutMs: 15 * 60_000,
  onProgress: (lag, pending) => log(`  ${lag} events to relay, ${pending} subjects to evaluate`),
});
log(`  settled in ${settled.seconds.toFixed(0)} s: ${settled.openFlags} open flags`);

const auditor = issued['auditor'] ?? '';
const prosecutor = issued['prosecutor'] ?? '';
console.log(`
Qadaga is ready: ${settled.openFlags} open flags wait for a decision.
  Workbench:           ${base}/   (public figures: ${base}/public)
  API docs (OpenAPI):  ${base}/docs
  Readiness:           ${base}/health/ready

People to sign in as in the workbench (password "${DEMO_PASSWORD}" for all):
${DEMO_USERS.map((u) => `  ${u.username.padEnd(12)} ${u.roles.join(', ')}`).join('\n')}

Demo keys for scripts (shown once; only their hashes are stored):
${Object.entries(issued).map(([k, v]) => `  ${k.padEnd(24)} ${v}`).join('\n')}

Try:
  curl -s -H 'Authorization: Bearer ${prosecutor}' ${base}/v1/ledger/stats
  curl -s -H 'Authorization: Bearer ${prosecutor}' '${base}/v1/flags?limit=5'
  curl -s -H 'Authorization: Bearer ${prosecutor}' ${base}/v1/violations/ALA-0000042
  curl -s -X POST -H 'Authorization: Bearer ${auditor}' ${base}/v1/ledger/verify
  DATABASE_URL='${services.databaseUrl}' npx qadaga ledger verify
Ctrl-C stops it${services.started.length > 0 ? ` and the ${services.started.join(' and ')} it started` : ''}.`);

const shutdown = async (code = 0) => {
  worker.kill('SIGTERM');
  await api.stop();
  await services.stop();
  process.exit(code);
};
if (smoke) {
  const res = await fetch(`${base}/v1/ledger/stats`, { headers: { authorization: `Bearer ${prosecutor}` } });
  const flags = await fetch(`${base}/v1/flags?limit=1`, { headers: { authorization: `Bearer ${prosecutor}` } });
  const page = await fetch(`${base}/flags`);
  const login = await fetch(`${base}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'prosecutor', password: DEMO_PASSWORD }) });
  const workbench = page.ok && (await page.text()).includes('<div id="root">');
  const ok = res.ok && flags.ok && workbench && login.ok;
  console.log(JSON.stringify({ smoke: ok, workbench, signIn: login.ok, stats: await res.json(), flags: ((await flags.json()) as { total: number }).total, openFlagsWhenReady: settled.openFlags }));
  // A failed check fails the command, so a script running the smoke test notices.
  await shutdown(ok ? 0 : 1);
}
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
