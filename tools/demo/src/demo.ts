import 'reflect-metadata';
import { loadConfig } from '@qadaga/config';
import { ApiKeyRepository, IngestPipeline, LedgerWriter, createPool, createPrismaClient, type Role } from '@qadaga/db';
import { applyMigrations } from '@qadaga/db/migrate';
import { lifecycleEvents } from '@qadaga/simulator';
import { startApiProcess } from './api-process.js';
import { ensureServices } from './services.js';

/**
 * `npm run demo`: the product on this machine with realistic data. Uses the PostgreSQL and
 * Redis it finds (DATABASE_URL, REDIS_URL), starts local ones where none answer, loads a
 * simulated city through the same ingest pipeline the API uses, and serves the API.
 * Running it again adds nothing: every event comes back as a duplicate.
 */
const SIMULATED_VIOLATIONS = Number(process.env['DEMO_VIOLATIONS'] ?? 20_000);
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
await keys.ensureSource('sergek-almaty', 'Sergek camera network, Almaty');

log(`loading a simulated city: ${SIMULATED_VIOLATIONS.toLocaleString('en-US')} violations ...`);
const pipeline = new IngestPipeline(new LedgerWriter(pool));
const started = Date.now();
let batch: { index: number; value: unknown }[] = [];
const totals = { accepted: 0, duplicates: 0, rejected: 0 };
const flush = async () => {
  const { summary } = await pipeline.ingest(batch, { allowedSource: null });
  totals.accepted += summary.accepted;
  totals.duplicates += summary.duplicates;
  totals.rejected += summary.rejected;
  batch = [];
};
for (const event of lifecycleEvents({ source: 'sergek-almaty', violations: SIMULATED_VIOLATIONS, seed: 2026, prefix: 'ALA' })) {
  batch.push({ index: batch.length, value: event });
  if (batch.length === 2_000) await flush();
}
if (batch.length > 0) await flush();
log(`  ${totals.accepted} accepted, ${totals.duplicates} duplicates, ${totals.rejected} rejected in ${((Date.now() - started) / 1000).toFixed(1)} s`);

const issued: Record<string, string> = {};
issued['source (sergek-almaty)'] = (await keys.issue({ sourceCode: 'sergek-almaty', label: 'demo' })).key;
for (const role of ['prosecutor', 'rule_author', 'auditor', 'admin'] as Role[]) issued[role] = (await keys.issue({ roles: [role], label: 'demo' })).key;
await prisma.$disconnect();
await pool.end();

const api = await startApiProcess({
  DATABASE_URL: config.database.url,
  REDIS_URL: config.redis.url,
  API_HOST: '127.0.0.1',
  API_PORT: smoke ? '0' : String(config.http.port),
});
const base = api.url;

const auditor = issued['auditor'] ?? '';
const prosecutor = issued['prosecutor'] ?? '';
console.log(`
Qadaga is running.
  API docs (OpenAPI):  ${base}/docs
  Readiness:           ${base}/health/ready

Demo keys (shown once; only their hashes are stored):
${Object.entries(issued).map(([k, v]) => `  ${k.padEnd(24)} ${v}`).join('\n')}

Try:
  curl -s -H 'Authorization: Bearer ${prosecutor}' ${base}/v1/ledger/stats
  curl -s -H 'Authorization: Bearer ${prosecutor}' ${base}/v1/violations/ALA-42
  curl -s -X POST -H 'Authorization: Bearer ${auditor}' ${base}/v1/ledger/verify
  DATABASE_URL='${services.databaseUrl}' npx qadaga ledger verify
Ctrl-C stops it${services.started.length > 0 ? ` and the ${services.started.join(' and ')} it started` : ''}.`);

const shutdown = async () => {
  await api.stop();
  await services.stop();
  process.exit(0);
};
if (smoke) {
  const res = await fetch(`${base}/v1/ledger/stats`, { headers: { authorization: `Bearer ${prosecutor}` } });
  console.log(JSON.stringify({ smoke: res.ok, stats: await res.json() }));
  await shutdown();
}
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
