import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES, type JobPayloads } from '@qadaga/contracts';
import { ReferenceRepository, RuleRepository, createPool, createPrismaClient } from '@qadaga/db';
import { IngestPipeline, LedgerWriter, ingestStream } from '@qadaga/ledger';
import { resetLedger, testDatabaseUrl, testRedisUrl } from '@qadaga/db/testing';
import { RuleRunner, installRulePack } from '@qadaga/detection';
import { simulateCity } from '@qadaga/simulator';
import { bullConnection } from './core/redis-connection.js';
import { stopProcess, until } from './testing/child-processes.js';

/**
 * The worker as deployed: a separate process on the real PostgreSQL and Redis, killed
 * and restarted, with Redis emptied under it.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const pool = createPool({ url: testDatabaseUrl(), size: 4 });
const prisma = createPrismaClient(pool);
const redis = new Redis(testRedisUrl());
const sweeps = new Queue<JobPayloads['sweep']>(QUEUES.sweep, { connection: bullConnection(testRedisUrl()) });
const workers: ChildProcess[] = [];

function startWorker(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'apps/worker/src/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: testDatabaseUrl(), REDIS_URL: testRedisUrl(), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  workers.push(child);
  return child;
}



async function ingest(events: Iterable<unknown>): Promise<void> {
  await ingestStream(new IngestPipeline(new LedgerWriter(pool)), events);
}

function backdatedCancellation(ref: string): unknown[] {
  const day = 86_400_000;
  const at = (d: number) => new Date(Date.now() - d * day).toISOString();
  const base = { source: 'review-desk', violationRef: ref, actor: { kind: 'officer', id: 'OF-9' }, payload: {} };
  return [
    { ...base, eventId: `${ref}-d`, type: 'detected', occurredAt: at(9), actor: { kind: 'camera', id: 'C' }, payload: { article: '592.1', plate: '999AAA02' } },
    { ...base, eventId: `${ref}-c`, type: 'confirmed', occurredAt: at(8) },
    { ...base, eventId: `${ref}-x`, type: 'cancelled', occurredAt: at(6), recordedAt: at(2), payload: { reasonCode: 'appeal_granted', legalBasis: 'art. 826' } },
  ];
}

const flagOf = (ref: string) => async () => {
  const { rows } = await pool.query("SELECT id FROM flag WHERE rule_id = 'backdated-cancellation' AND subject_id = $1", [ref]);
  return rows[0] === undefined ? undefined : rows[0];
};

beforeAll(async () => {
  await resetLedger(pool);
  await pool.query('TRUNCATE flag, flag_history, pending_evaluation, outbox_cursor, suppression, rule_version, rule, officer, vehicle, camera, dispatch CASCADE');
  await redis.flushdb();
  const rules = new RuleRepository(prisma);
  await installRulePack(rules);
}, 120_000);
afterEach(async () => {
  for (const w of workers.splice(0)) await stopProcess(w, 'SIGKILL');
});
afterAll(async () => {
  await sweeps.close();
  redis.disconnect();
  await prisma.$disconnect();
  await pool.end();
});

describe('the worker', () => {
  it('turns an ingested event into a flag through the outbox, on its own', async () => {
    startWorker();
    await ingest(backdatedCancellation('V-W-1'));
    await until(flagOf('V-W-1'), 30_000, 'a flag for V-W-1');
  });

  it('loses no evaluation when Redis loses everything: the outbox in PostgreSQL replays', async () => {
    // Events committed while no worker runs, then Redis emptied as a restart without persistence would.
    await ingest(backdatedCancellation('V-W-2'));
    await redis.flushdb();
    expect(await redis.dbsize()).toBe(0);
    startWorker();
    await until(flagOf('V-W-2'), 30_000, 'a flag for V-W-2 after Redis was emptied');
  });

  it('finishes a sweep whose worker was killed mid-way, with the same flags, each raised once', async () => {
    const city = simulateCity({ seed: 3, violations: 8_000 });
    await new ReferenceRepository(pool).load(city.reference);
    await ingest(city.events());
    const asOf = '2026-10-31T19:00:00.000Z';
    const first = startWorker();
    const job = await sweeps.add('sweep', { requestedBy: 'test', asOf }, { attempts: 3 });
    // A sweep runs as one part per rule; the worker is killed while it runs one.
    await until(async () => ((await sweeps.getJobs(['active'])).some((j) => j.name === 'sweep-rule') ? true : undefined), 30_000, 'a part of the sweep to start');
    await stopProcess(first, 'SIGKILL');
    expect(await job.getState()).toBe('waiting-children');

    startWorker();
    await until(async () => ((await sweeps.getJob(job.id ?? ''))?.finishedOn !== undefined ? true : undefined), 90_000, 'the sweep to finish after a restart');
    const finished = await sweeps.getJob(job.id ?? '');
    expect(finished?.failedReason).toBeUndefined();

    const flags = await pool.query<{ n: string }>('SELECT count(*) AS n FROM flag');
    const raisedOnce = await pool.query<{ n: string }>(
      "SELECT count(*) AS n FROM (SELECT flag_id FROM flag_history WHERE action = 'raised' GROUP BY flag_id HAVING count(*) = 1) x",
    );
    expect(Number(flags.rows[0]?.n)).toBeGreaterThan(10);
    expect(raisedOnce.rows[0]?.n).toBe(flags.rows[0]?.n);
    // The same sweep again, in this process, finds the set complete: nothing new to raise.
    const again = await new RuleRunner(pool, new RuleRepository(prisma), 'Asia/Almaty').evaluate({ asOf: new Date(asOf) });
    expect(again.raised).toBe(0);
    expect(again.fired).toBeGreaterThan(0);
  }, 240_000);
});
