import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES, type JobPayloads } from '@qadaga/contracts';
import { testDatabaseUrl, testRedisUrl } from '@qadaga/db/testing';
import { startWorkerProcess } from '@qadaga/demo';
import { loadRulePack } from '@qadaga/rules';
import { startTestApp, type TestApp } from '../testing/test-app.js';

/**
 * Failed jobs are visible with their reason, and an admin can run one again: jobs that
 * really fail in a real worker process, one after its retries ran out.
 */
const connection = (() => {
  const url = new URL(testRedisUrl());
  return { host: url.hostname, port: Number(url.port || 6379), db: Number(url.pathname.slice(1) || 0) };
})();
const evidence = new Queue<JobPayloads['build-bundle']>(QUEUES.evidence, { connection });
const backtests = new Queue<JobPayloads['backtest']>(QUEUES.backtest, { connection });
let t: TestApp;
let worker: ChildProcess;
let auditor: { authorization: string };
let admin: { authorization: string };

interface Listed {
  id: string;
  name: string;
  queue: string;
  state: string;
  attemptsMade: number;
  attempts: number;
  failedReason: string | null;
  stackFirstLine: string | null;
  data: unknown;
  createdAt: string;
  processedAt: string | null;
  finishedAt: string | null;
}

async function listed(url: string, headers: { authorization: string }, id: string): Promise<Listed> {
  for (let i = 0; i < 1_200; i += 1) {
    const res = await t.app.inject({ method: 'GET', url, headers });
    expect(res.statusCode).toBe(200);
    const found = (res.json().jobs as Listed[]).find((j) => j.id === id);
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${id} never appeared in ${url}`);
}

beforeAll(async () => {
  t = await startTestApp();
  await Promise.all([evidence.obliterate({ force: true }), backtests.obliterate({ force: true })]);
  worker = startWorkerProcess({ DATABASE_URL: testDatabaseUrl(), REDIS_URL: testRedisUrl(), LOG_LEVEL: 'error' });
  [auditor, admin] = await Promise.all([t.signIn('auditor'), t.signIn('admin')]);
});

afterAll(async () => {
  if (worker !== undefined && worker.exitCode === null) await new Promise((resolve) => worker.once('exit', resolve).kill('SIGTERM'));
  await Promise.all([evidence.close(), backtests.close()]);
  await t.close();
});

describe('jobs view', () => {
  it('shows a job that failed on every attempt with its reason, and an admin retry runs it again once the cause is gone', async () => {
    const bundleId = randomUUID();
    const job = await evidence.add('build-bundle', { bundleId }, { attempts: 2, backoff: { type: 'fixed', delay: 50 } });
    const failed = await listed('/v1/jobs?state=failed&queue=evidence', auditor, String(job.id));
    expect(failed).toMatchObject({
      name: 'build-bundle',
      queue: 'evidence',
      state: 'failed',
      attemptsMade: 2,
      attempts: 2,
      failedReason: `no bundle ${bundleId}`,
      stackFirstLine: `Error: no bundle ${bundleId}`,
      data: { bundleId },
    });
    expect(Date.parse(failed.finishedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(failed.createdAt));
    // Listed among every queue's failures too.
    await listed('/v1/jobs', admin, String(job.id));

    // The bundle row the job was missing now exists: the retry builds it.
    await t.pool.query(`INSERT INTO evidence_bundle (id, query, reason, requested_by, file_name) VALUES ($1, $2, 'Retried after the row was restored', 'test', 'retry.zip')`, [
      bundleId,
      JSON.stringify({ from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' }),
    ]);
    const retried = await t.app.inject({ method: 'POST', url: `/v1/jobs/evidence/${job.id}/retry`, headers: admin });
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ id: String(job.id), queue: 'evidence' });
    expect(['waiting', 'active', 'completed']).toContain(retried.json().state);
    const completed = await listed('/v1/jobs?state=completed&queue=evidence', auditor, String(job.id));
    expect(completed.failedReason).toBeNull();
    const { rows } = await t.pool.query<{ status: string }>('SELECT status FROM evidence_bundle WHERE id = $1', [bundleId]);
    expect(rows[0]?.status).toBe('done');

    const again = await t.app.inject({ method: 'POST', url: `/v1/jobs/evidence/${job.id}/retry`, headers: admin });
    expect(again.statusCode).toBe(409);
    expect(again.json().reasons[0]).toMatchObject({ path: 'id', message: expect.stringMatching(/completed/u) });
  }, 240_000);

  it('fails a backtest with an impossible range at once, without retries, naming the field', async () => {
    const draft = loadRulePack().find((r) => r.id === 'backdated-cancellation') as unknown as Record<string, unknown>;
    const job = await backtests.add('backtest', { definition: draft, from: '2026-05-01T00:00:00Z', to: '2026-04-01T00:00:00Z', requestedBy: 'test' }, { attempts: 3 });
    const failed = await listed('/v1/jobs?state=failed&queue=backtest', auditor, String(job.id));
    expect(failed).toMatchObject({ name: 'backtest', queue: 'backtest', attemptsMade: 1, attempts: 3 });
    expect(failed.failedReason).toMatch(/from: must be before to/u);
    expect(failed.stackFirstLine).toMatch(/^UnrecoverableError: the backtest cannot run/u);
  }, 240_000);

  it('names a bad state, an unknown queue and an unknown job', async () => {
    const badState = await t.app.inject({ method: 'GET', url: '/v1/jobs?state=stuck', headers: auditor });
    expect(badState.statusCode).toBe(400);
    expect(badState.json().reasons[0].path).toBe('state');
    const badQueue = await t.app.inject({ method: 'GET', url: '/v1/jobs?queue=mail', headers: auditor });
    expect(badQueue.json().reasons[0].path).toBe('queue');
    const noQueue = await t.app.inject({ method: 'POST', url: '/v1/jobs/mail/1/retry', headers: admin });
    expect(noQueue.statusCode).toBe(404);
    expect(noQueue.json().reasons[0].path).toBe('queue');
    const noJob = await t.app.inject({ method: 'POST', url: '/v1/jobs/sweep/no-such-job/retry', headers: admin });
    expect(noJob.statusCode).toBe(404);
    expect(noJob.json().reasons[0].path).toBe('id');
  });
});
