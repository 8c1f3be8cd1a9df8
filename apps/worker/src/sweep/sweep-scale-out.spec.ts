import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES, type JobPayloads } from '@qadaga/contracts';
import { ReferenceRepository, RuleRepository, createPool, createPrismaClient } from '@qadaga/db';
import { IngestPipeline, LedgerWriter, ingestStream } from '@qadaga/ledger';
import { resetLedger, testDatabaseUrl, testRedisUrl } from '@qadaga/db/testing';
import { RuleRunner, installRulePack } from '@qadaga/detection';
import { simulateCity } from '@qadaga/simulator';
import { bullConnection } from '../core/redis-connection.js';
import { stopProcess, until } from '../testing/child-processes.js';

/**
 * Three worker processes on one Redis share a sweep (one part per rule), one of them is
 * killed with SIGKILL while it holds a part, and the flags come out as one process alone
 * makes them: each once, none missing.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const pool = createPool({ url: testDatabaseUrl(), size: 4 });
const prisma = createPrismaClient(pool);
const redis = new Redis(testRedisUrl());
const sweeps = new Queue<JobPayloads['sweep'] | JobPayloads['sweep-rule']>(QUEUES.sweep, { connection: bullConnection(testRedisUrl()) });
const workers: ChildProcess[] = [];
const AS_OF = '2026-10-31T19:00:00.000Z';

function startWorker(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'apps/worker/src/main.ts')], {
    cwd: ROOT,
    // A short lock and stall check (configuration, not code) so a killed part is taken over within seconds.
    env: { ...process.env, DATABASE_URL: testDatabaseUrl(), REDIS_URL: testRedisUrl(), DATABASE_POOL_SIZE: '4', SWEEP_LOCK_MS: '8000', SWEEP_STALLED_CHECK_MS: '1000' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  workers.push(child);
  return child;
}



/** Every flag as it reads, without its ids and times of writing. */
async function flagSnapshot(): Promise<string[]> {
  const { rows } = await pool.query<{ flag: string }>(
    `SELECT concat_ws(' | ', rule_id, rule_version, subject_kind, subject_id, status, severity, score, q_value, window_from, window_to, unit, district,
                      facts::text, baseline::text, evidence::text, explanation::text) AS flag
     FROM flag ORDER BY 1`,
  );
  return rows.map((r) => r.flag);
}

beforeAll(async () => {
  await resetLedger(pool);
  await redis.flushdb();
  await installRulePack(new RuleRepository(prisma));
  const city = simulateCity({ seed: 5, violations: 1_500 });
  await new ReferenceRepository(pool).load(city.reference);
  await ingestStream(new IngestPipeline(new LedgerWriter(pool)), city.events());
  // The relay is caught up: the workers' incremental evaluation finds nothing, so every
  // flag below is the sweep's.
  await pool.query(`INSERT INTO outbox_cursor (consumer, chain_id, seq) SELECT 'evaluation', chain_id, head_seq FROM ledger_chain`);
}, 120_000);
afterAll(async () => {
  for (const w of workers.splice(0)) await stopProcess(w, 'SIGKILL');
  await sweeps.close();
  redis.disconnect();
  await prisma.$disconnect();
  await pool.end();
});

describe('a sweep shared by three worker processes', () => {
  it('ends with the flags one process makes, each raised once, though a worker is killed holding a part', async () => {
    // The workers start meanwhile; with the relay caught up they have nothing to do until the sweep.
    const [victim, ...survivors] = [startWorker(), startWorker(), startWorker()];
    // The sweep as one process runs it: rule after rule.
    const runner = new RuleRunner(pool, new RuleRepository(prisma), 'Asia/Almaty');
    const { rules } = await runner.publishedRules();
    for (const { definition } of rules) await runner.evaluate({ asOf: new Date(AS_OF), ruleIds: [definition.id] });
    const alone = await flagSnapshot();
    expect(alone.length).toBeGreaterThan(10);
    await pool.query('TRUNCATE flag, flag_history CASCADE');

    const sweep = await sweeps.add('sweep', { requestedBy: 'test', asOf: AS_OF }, { attempts: 3 });
    const sweepId = sweep.id ?? '';
    // Every worker busy with a part of the sweep (each takes one at a time), then one is killed.
    const partsRunning = async () => (await sweeps.getJobs(['active'])).filter((j) => j.name === 'sweep-rule').length;
    await until(async () => ((await partsRunning()) === 3 ? true : undefined), 60_000, 'three parts running at once');
    await stopProcess(victim as ChildProcess, 'SIGKILL');
    await until(async () => ((await sweeps.getJob(sweepId))?.finishedOn !== undefined ? true : undefined), 90_000, 'the sweep to finish');

    const finished = await sweeps.getJob(sweepId);
    expect(finished?.failedReason).toBeUndefined();
    expect(finished?.returnvalue).toMatchObject({ rules: rules.length, asOf: AS_OF });
    const parts = await Promise.all(rules.map(({ definition }) => sweeps.getJob(`${sweepId}.${definition.id}`)));
    // Every rule was a part of its own, and the killed worker's part was taken over by another.
    expect(parts.filter((p) => p?.finishedOn !== undefined)).toHaveLength(rules.length);
    expect(parts.filter((p) => (p?.stalledCounter ?? 0) > 0).length).toBeGreaterThanOrEqual(1);
    expect(new Set(parts.map((p) => p?.processedBy)).size).toBeGreaterThan(1);

    expect(await flagSnapshot()).toEqual(alone);
    const raisedOnce = await pool.query<{ flags: string; raised: string; once: string }>(
      `SELECT (SELECT count(*) FROM flag) AS flags, (SELECT count(*) FROM flag_history WHERE action = 'raised') AS raised,
              (SELECT count(DISTINCT flag_id) FROM flag_history WHERE action = 'raised') AS once`,
    );
    expect(raisedOnce.rows[0]).toEqual({ flags: String(alone.length), raised: String(alone.length), once: String(alone.length) });
    for (const w of survivors) expect(w.exitCode).toBeNull();
  }, 240_000);
});
