/**
 * A sweep's time with 1, 2 and 3 worker processes (and 1 again, warm) on one Redis and one PostgreSQL, over
 * the same simulated city, in one run (so the ratios compare like with like on whatever
 * machine runs it). Each worker is the product's worker process; the sweep is split into
 * one part per rule, which the workers share.
 *
 * Run: node --import tsx tools/bench/src/sweep-workers.ts [violations=8000]
 * (BENCH_DATABASE_URL, default qadaga_bench; BENCH_REDIS_URL, default redis://127.0.0.1:6379/14:
 * that Redis database is emptied.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUES } from '@qadaga/contracts';
import { ReferenceRepository, RuleRepository, createPrismaClient } from '@qadaga/db';
import { installRulePack } from '@qadaga/detection';
import { IngestPipeline, LedgerWriter, ingestStream } from '@qadaga/ledger';
import { simulateCity } from '@qadaga/simulator';
import { benchDatabaseUrl, freshBenchDatabase } from './bench-database.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const AS_OF = '2026-10-31T19:00:00.000Z';
const violations = Number(process.argv[2] ?? 8_000);
const redisUrl = process.env['BENCH_REDIS_URL'] ?? 'redis://127.0.0.1:6379/14';
const redisDb = Number(new URL(redisUrl).pathname.slice(1) || 0);
const connection = { host: new URL(redisUrl).hostname, port: Number(new URL(redisUrl).port || 6379), db: redisDb, maxRetriesPerRequest: null };

/** A worker process, resolved once it says it runs. */
async function startWorker(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'apps/worker/src/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: benchDatabaseUrl(), REDIS_URL: redisUrl, DATABASE_POOL_SIZE: '4' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Qadaga worker running')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`a worker exited (${code}) before it ran`)));
  });
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

const pool = await freshBenchDatabase();
const prisma = createPrismaClient(pool);
const redis = new Redis(redisUrl);
await redis.flushdb();
await installRulePack(new RuleRepository(prisma));
const city = simulateCity({ seed: 21, violations });
await new ReferenceRepository(pool).load(city.reference);
const loaded = await ingestStream(new IngestPipeline(new LedgerWriter(pool)), city.events());
// The relay caught up: the workers do nothing but the sweep.
await pool.query(`INSERT INTO outbox_cursor (consumer, chain_id, seq) SELECT 'evaluation', chain_id, head_seq FROM ledger_chain`);
await pool.query('VACUUM ANALYZE');
console.log(`${loaded.accepted} events of ${violations} violations loaded`);

const sweeps = new Queue(QUEUES.sweep, { connection });
const runs: { workers: number; seconds: number; flags: number }[] = [];
// One worker again at the end: how much of the first run's time was a cold cache.
for (const n of [1, 2, 3, 1]) {
  await pool.query('TRUNCATE flag, flag_history CASCADE');
  const workers = await Promise.all(Array.from({ length: n }, () => startWorker()));
  const started = performance.now();
  const job = await sweeps.add('sweep', { requestedBy: 'bench', asOf: AS_OF });
  for (;;) {
    const state = await job.getState();
    if (state === 'completed') break;
    if (state === 'failed') throw new Error(`the sweep failed: ${(await sweeps.getJob(job.id ?? ''))?.failedReason}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = (performance.now() - started) / 1000;
  const flags = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM flag')).rows[0]?.n);
  runs.push({ workers: n, seconds, flags });
  console.log(`${n} worker(s): ${seconds.toFixed(1)} s, ${flags} flags`);
  await Promise.all(workers.map((w) => stop(w)));
}
const one = runs[0]?.seconds ?? 1;
console.log('\n| workers | sweep (s) | vs 1 worker | flags |\n| --- | --- | --- | --- |');
for (const r of runs) console.log(`| ${r.workers} | ${r.seconds.toFixed(1)} | ${(r.seconds / one).toFixed(2)} | ${r.flags} |`);
await sweeps.close();
redis.disconnect();
await prisma.$disconnect();
await pool.end();
