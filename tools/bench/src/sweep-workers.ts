/**
 * A sweep's time with 1, 2 and 3 worker processes on one Redis and one PostgreSQL, over
 * the same simulated city, in one run (so the ratios compare like with like on whatever
 * machine runs it): one warm-up sweep, then BENCH_ROUNDS (3) rounds of 1, 2 and 3 workers,
 * medians. Each worker is the product's worker process, started fresh for each sweep; the
 * sweep is split into one part per rule, which the workers share.
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

/** One sweep with n fresh worker processes: its seconds from queued to completed, and the flags it left. */
async function sweepWith(n: number): Promise<{ seconds: number; flags: number }> {
  await pool.query('TRUNCATE flag, flag_history CASCADE');
  const workers = await Promise.all(Array.from({ length: n }, () => startWorker()));
  try {
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
    return { seconds, flags };
  } finally {
    await Promise.all(workers.map((w) => stop(w)));
  }
}

// A first sweep warms PostgreSQL's caches and is not counted; then rounds of 1, 2 and 3
// workers, so that drift over the run (other load on the host) touches every count alike.
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const warm = await sweepWith(1);
console.log(`warm-up sweep: ${warm.seconds.toFixed(1)} s, ${warm.flags} flags`);
const times = new Map<number, number[]>([[1, []], [2, []], [3, []]]);
for (let round = 1; round <= ROUNDS; round += 1) {
  for (const n of [1, 2, 3]) {
    const run = await sweepWith(n);
    if (run.flags !== warm.flags) throw new Error(`${n} workers left ${run.flags} flags, one left ${warm.flags}`);
    times.get(n)?.push(run.seconds);
    console.log(`round ${round}, ${n} worker(s): ${run.seconds.toFixed(1)} s`);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const one = median(times.get(1) ?? []);
console.log(`\n| workers | sweep, median of ${ROUNDS} (s) | runs (s) | vs 1 worker |\n| --- | --- | --- | --- |`);
for (const [n, xs] of times) console.log(`| ${n} | ${median(xs).toFixed(1)} | ${xs.map((x) => x.toFixed(1)).join(', ')} | ${(median(xs) / one).toFixed(2)} |`);
await sweeps.close();
redis.disconnect();
await prisma.$disconnect();
await pool.end();
