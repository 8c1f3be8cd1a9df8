import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES, type JobPayloads } from '@qadaga/contracts';
import { ReferenceRepository, RuleRepository, createPool, createPrismaClient } from '@qadaga/db';
import { IngestPipeline, LedgerWriter, ingestStream } from '@qadaga/ledger';
import { resetLedger, startTestReplica, testDatabaseUrl, testRedisUrl, testReplicaPort, type TestReplica } from '@qadaga/db/testing';
import { Backtester, RuleRunner, installRulePack, publishedCounterpart, type BacktestResult } from '@qadaga/detection';
import { loadRulePack, type RuleDefinition } from '@qadaga/rules';
import { simulateCity } from '@qadaga/simulator';
import { bullConnection } from '../core/redis-connection.js';
import { stopProcess, until } from '../testing/child-processes.js';
import type { SweepResult } from './sweep.processor.js';

/**
 * Sweeps and backtests in a worker process with READ_DATABASE_URL on a real streaming
 * replica of the test server (pg_basebackup into a temporary folder, its own port). The
 * replica logs every statement with the connecting application's name, so the spec reads
 * there which facts were computed on it. Replay is paused and resumed, and the replica
 * stopped, to take each path: facts on the replica, a wait for it to replay an ingest
 * the primary has just committed, and the primary when it lags or is gone, with the flags
 * exactly as a sweep on the primary alone makes them.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const DATABASE = new URL(testDatabaseUrl()).pathname.slice(1);
const pool = createPool({ url: testDatabaseUrl(), size: 4 });
const prisma = createPrismaClient(pool);
const redis = new Redis(testRedisUrl());
const sweeps = new Queue<JobPayloads['sweep'] | JobPayloads['sweep-rule']>(QUEUES.sweep, { connection: bullConnection(testRedisUrl()) });
const backtests = new Queue<JobPayloads['backtest']>(QUEUES.backtest, { connection: bullConnection(testRedisUrl()) });
const DAY = 86_400_000;
// Judged as of now (to the millisecond, fixed for the whole file): the city's year and the
// cancellations ingested below, days ago, all lie in the windows.
const AS_OF = new Date().toISOString();
const READER = 'qadaga-worker-read';
/** One or two rules of every subject kind the pack judges: each part of a sweep computes its kind's facts. */
const SWEPT = [
  'backdated-cancellation',
  'cancellation-without-ground',
  'confirmed-without-notice',
  'officer-outlier-rate',
  'officer-favours-vehicle',
  'protected-plate',
  'source-id-gap',
];

let replica: TestReplica;
let onReplica: pg.Pool;
let rules: RuleDefinition[];

interface Worker {
  child: ChildProcess;
  /** Everything the worker has written to stdout so far (Nest's log). */
  output: () => string;
}
const workers: Worker[] = [];

/** A worker process as deployed, reading from the replica; catchUpMs is REPLICA_CATCH_UP_MS. */
function startWorker(catchUpMs: number): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'apps/worker/src/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: testDatabaseUrl(),
      READ_DATABASE_URL: replica.url(DATABASE),
      REPLICA_CATCH_UP_MS: String(catchUpMs),
      REDIS_URL: testRedisUrl(),
      DATABASE_POOL_SIZE: '4',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const worker = { child, output: () => output };
  workers.push(worker);
  return worker;
}

async function stop(worker: Worker): Promise<void> {
  await stopProcess(worker.child, 'SIGTERM');
}


/** Until the replica has replayed everything the primary has written so far. */
async function caughtUp(): Promise<void> {
  const { rows } = await pool.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
  const target = rows[0]?.lsn as string;
  await until(
    async () => ((await onReplica.query<{ ok: boolean }>('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok', [target])).rows[0]?.ok === true ? true : undefined),
    30_000,
    `the replica to replay up to ${target}`,
  );
}

/**
 * Statements the worker's replica pool sent to this database that read the ledger (the
 * fact queries; the catch-up probes read no table), in the replica's log from `from` on.
 * Each entry of the log starts with @@application@@database@@ (log_line_prefix below).
 */
async function ledgerReadsOnReplica(from: number): Promise<number> {
  const log = (await replica.log()).slice(from);
  return log.split(/\n(?=@@)/u).filter((entry) => entry.startsWith(`@@${READER}@@${DATABASE}@@`) && entry.includes('ledger_event')).length;
}
const logLength = async () => (await replica.log()).length;

async function ingest(events: Iterable<unknown>): Promise<void> {
  await ingestStream(new IngestPipeline(new LedgerWriter(pool)), events);
}

/** A cancellation dated three days before it was recorded: the backdated-cancellation rule fires on it. */
function backdatedCancellation(ref: string): unknown[] {
  const at = (d: number) => new Date(new Date(AS_OF).getTime() - d * DAY).toISOString();
  const base = { source: 'review-desk', violationRef: ref, actor: { kind: 'officer', id: 'OF-9' }, payload: {} };
  return [
    { ...base, eventId: `${ref}-d`, type: 'detected', occurredAt: at(9), actor: { kind: 'camera', id: 'C' }, payload: { article: '592.1', plate: '999AAA02' } },
    { ...base, eventId: `${ref}-c`, type: 'confirmed', occurredAt: at(8) },
    { ...base, eventId: `${ref}-x`, type: 'cancelled', occurredAt: at(6), recordedAt: at(3), payload: { reasonCode: 'appeal_granted', legalBasis: 'art. 826' } },
  ];
}

/** The relay is caught up with everything ingested: no pending evaluation raises a flag of its own, every flag is a sweep's. */
async function relayCaughtUp(): Promise<void> {
  await pool.query(
    `INSERT INTO outbox_cursor (consumer, chain_id, seq) SELECT 'evaluation', chain_id, head_seq FROM ledger_chain
     ON CONFLICT (consumer, chain_id) DO UPDATE SET seq = EXCLUDED.seq`,
  );
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

/** The sweep as one process runs it on the primary alone, rule after rule; its flags, then an empty flag table. */
async function primaryOnlySweep(): Promise<string[]> {
  const runner = new RuleRunner(pool, new RuleRepository(prisma), 'Asia/Almaty');
  for (const ruleId of SWEPT) await runner.evaluate({ asOf: new Date(AS_OF), ruleIds: [ruleId] });
  const flags = await flagSnapshot();
  await pool.query('TRUNCATE flag, flag_history CASCADE');
  return flags;
}

async function sweepToEnd(data: JobPayloads['sweep'], onFixed?: () => Promise<void>): Promise<SweepResult> {
  const job = await sweeps.add('sweep', data, { attempts: 1 });
  const id = job.id ?? '';
  if (onFixed !== undefined) {
    await until(async () => (((await sweeps.getJob(id))?.data as { parts?: { position?: string } } | undefined)?.parts?.position !== undefined ? true : undefined), 60_000, 'the sweep to fix its instant');
    await onFixed();
  }
  const done = await until(async () => {
    const j = await sweeps.getJob(id);
    return j?.finishedOn !== undefined ? j : undefined;
  }, 120_000, 'the sweep to finish');
  expect(done.failedReason).toBeUndefined();
  return done.returnvalue as SweepResult;
}

/** A draft of the backdated-cancellation rule that asks for more than two days. */
const DRAFT = () => {
  const rule = rules.find((r) => r.id === 'backdated-cancellation') as RuleDefinition;
  return { ...rule, parameters: { ...rule.parameters, minBackdatedHours: { ...rule.parameters['minBackdatedHours'], default: 48 } } } as RuleDefinition;
};

async function backtestToEnd(range: { from: string; to: string }): Promise<BacktestResult> {
  const job = await backtests.add('backtest', { definition: DRAFT() as unknown as Record<string, unknown>, ...range, requestedBy: 'test' }, { attempts: 1 });
  const done = await until(async () => {
    const j = await backtests.getJob(job.id ?? '');
    return j?.finishedOn !== undefined ? j : undefined;
  }, 60_000, 'the backtest to finish');
  expect(done.failedReason).toBeUndefined();
  return done.returnvalue as BacktestResult;
}

/** A backtest's answer without its timings, which differ from run to run. */
async function primaryOnlyBacktest(range: { from: string; to: string }): Promise<Omit<BacktestResult, 'timings'>> {
  const published = await publishedCounterpart(new RuleRepository(prisma), 'backdated-cancellation');
  const { timings: _t, ...result } = await new Backtester(pool, 'Asia/Almaty').run(DRAFT(), published, { from: new Date(range.from), to: new Date(range.to) });
  return result;
}
const withoutTimings = ({ timings: _t, ...result }: BacktestResult) => result;

beforeAll(async () => {
  await resetLedger(pool);
  await redis.flushdb();
  await installRulePack(new RuleRepository(prisma));
  rules = loadRulePack();
  const city = simulateCity({ seed: 5, violations: 400 });
  await new ReferenceRepository(pool).load(city.reference);
  await ingest(city.events());
  await relayCaughtUp();
  replica = await startTestReplica({
    primaryUrl: testDatabaseUrl(),
    port: testReplicaPort(5443),
    settings: ['log_statement = all', "log_line_prefix = '@@%a@@%d@@ '"],
  });
  onReplica = createPool({ url: replica.url(DATABASE), size: 2 });
}, 120_000);
afterAll(async () => {
  for (const w of workers.splice(0)) await stop(w);
  await sweeps.close();
  await backtests.close();
  redis.disconnect();
  await onReplica?.end();
  await replica?.stop();
  await prisma.$disconnect();
  await pool.end();
});

describe('sweeps and backtests with a streaming replica', () => {
  describe('a replica that keeps up', () => {
    let worker: Worker;
    beforeAll(() => {
      // Long enough for any replay seen here: the wait ends as soon as the replica has caught up.
      worker = startWorker(60_000);
    });
    afterAll(async () => stop(worker));

    it("reads every rule's facts on the replica and writes the flags a sweep on the primary alone writes", async () => {
      const alone = await primaryOnlySweep();
      expect(alone.length).toBeGreaterThan(5);
      await caughtUp();
      const from = await logLength();

      const result = await sweepToEnd({ requestedBy: 'test', asOf: AS_OF, ruleIds: SWEPT });
      expect(result.factsRead).toEqual({ replica: SWEPT.length, primary: 0 });
      expect(await ledgerReadsOnReplica(from)).toBeGreaterThanOrEqual(SWEPT.length);
      expect(await flagSnapshot()).toEqual(alone);
      expect(worker.output()).not.toContain('read on the primary');
    });

    it('waits for the replica to replay an ingest the primary committed just before the sweep, and judges it', async () => {
      const runner = new RuleRunner(pool, new RuleRepository(prisma), 'Asia/Almaty');
      const before = await runner.evaluate({ asOf: new Date(AS_OF), ruleIds: ['backdated-cancellation'] });
      await caughtUp();
      await onReplica.query('SELECT pg_wal_replay_pause()');
      let resumed = false;
      try {
        await ingest(backdatedCancellation('V-REPLICA-1'));
        const seen = "SELECT 1 FROM ledger_event WHERE event_id = 'V-REPLICA-1-x'";
        expect((await pool.query(seen)).rowCount).toBe(1);
        const from = await logLength();

        const result = await sweepToEnd({ requestedBy: 'test', asOf: AS_OF, ruleIds: ['backdated-cancellation'] }, async () => {
          // The sweep has taken the primary's position; the paused replica still lacks the cancellation.
          expect((await onReplica.query(seen)).rowCount).toBe(0);
          await onReplica.query('SELECT pg_wal_replay_resume()');
          resumed = true;
        });
        // Its facts were read on the replica, which then held the new cancellation: one more violation fired.
        expect(result.factsRead).toEqual({ replica: 1, primary: 0 });
        expect(result.fired).toBe(before.fired + 1);
        expect(await ledgerReadsOnReplica(from)).toBeGreaterThanOrEqual(1);
        const flag = await pool.query("SELECT 1 FROM flag WHERE rule_id = 'backdated-cancellation' AND subject_id = 'V-REPLICA-1'");
        expect(flag.rowCount).toBe(1);
      } finally {
        if (!resumed) await onReplica.query('SELECT pg_wal_replay_resume()');
      }
    });

    it("reads a backtest's facts on the replica, with the answer the primary gives", async () => {
      const range = { from: new Date(new Date(AS_OF).getTime() - 200 * DAY).toISOString(), to: AS_OF };
      const expected = await primaryOnlyBacktest(range);
      expect(expected.flags.length).toBeGreaterThan(0);
      await caughtUp();
      const from = await logLength();
      const result = await backtestToEnd(range);
      expect(await ledgerReadsOnReplica(from)).toBeGreaterThanOrEqual(1);
      expect(withoutTimings(result)).toEqual(expected);
    });
  });

  describe('a replica that lags or is gone', () => {
    let worker: Worker;
    let alone: string[];
    beforeAll(async () => {
      // The replica stops replaying, and the primary gains a cancellation it will not see.
      await caughtUp();
      await onReplica.query('SELECT pg_wal_replay_pause()');
      await ingest(backdatedCancellation('V-REPLICA-2'));
      // No evaluation of the new cancellation is left to run (from the relay, or pending
      // since the last worker stopped): every flag below is a sweep's, as of AS_OF.
      await relayCaughtUp();
      await pool.query('TRUNCATE flag, flag_history, pending_evaluation CASCADE');
      alone = await primaryOnlySweep();
      expect(alone.some((f) => f.includes('V-REPLICA-2'))).toBe(true);
      worker = startWorker(2_000);
    });
    afterAll(async () => stop(worker));

    it('reads on the primary when the replica does not catch up in time, and says so, with the flags of the primary alone', async () => {
      const from = await logLength();
      const result = await sweepToEnd({ requestedBy: 'test', asOf: AS_OF, ruleIds: SWEPT });
      expect(result.factsRead).toEqual({ replica: 0, primary: SWEPT.length });
      expect(await ledgerReadsOnReplica(from)).toBe(0);
      expect(await flagSnapshot()).toEqual(alone);
      expect(worker.output()).toMatch(/sweep \S+ as of \S+: read on the primary, the replica had replayed \S+ of \S+ after 2000 ms/u);

      const range = { from: new Date(new Date(AS_OF).getTime() - 100 * DAY).toISOString(), to: AS_OF };
      const backtest = await backtestToEnd(range);
      expect(withoutTimings(backtest)).toEqual(await primaryOnlyBacktest(range));
      expect(backtest.flags.map((f) => f.subjectId)).toContain('V-REPLICA-2');
      expect(worker.output()).toMatch(/backtest of backdated-cancellation over \S+: read on the primary/u);
      await pool.query('TRUNCATE flag, flag_history CASCADE');
    });

    it('reads on the primary when the replica is stopped, with the flags of the primary alone', async () => {
      await replica.stop();
      const result = await sweepToEnd({ requestedBy: 'test', asOf: AS_OF, ruleIds: SWEPT });
      expect(result.factsRead).toEqual({ replica: 0, primary: SWEPT.length });
      expect(await flagSnapshot()).toEqual(alone);
      expect(worker.output()).toMatch(/read on the primary, the replica cannot be read/u);
    });
  });
});
