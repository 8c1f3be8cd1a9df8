import type { ChildProcess } from 'node:child_process';
import { Queue, QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES } from '@qadaga/contracts';
import { ReferenceRepository, RuleRepository, createPrismaClient } from '@qadaga/db';
import { IngestPipeline, LedgerWriter, ingestStream } from '@qadaga/ledger';
import { testDatabaseUrl, testRedisUrl } from '@qadaga/db/testing';
import { installRulePack } from '@qadaga/detection';
import { startWorkerProcess } from '@qadaga/demo';
import { simulateCity } from '@qadaga/simulator';
import { everyOfficerDraft } from '../testing/drafts.js';
import { startTestApp, type TestApp } from '../testing/test-app.js';

/**
 * Backtests over long ranges: the API queues them, a real worker process runs them and
 * reports progress, and the API serves the result by the reader's roles.
 */
const redis = (() => {
  const url = new URL(testRedisUrl());
  return { host: url.hostname, port: Number(url.port || 6379), db: Number(url.pathname.slice(1) || 0) };
})();
const queue = new Queue(QUEUES.backtest, { connection: redis });
const events = new QueueEvents(QUEUES.backtest, { connection: redis });
let t: TestApp;
let worker: ChildProcess;
let author: { authorization: string };
let admin: { authorization: string };
let officerIds: Set<string>;

/** Thirteen months: longer than the 30 days this app answers within a request. */
const LONG = { from: '2025-10-01T00:00:00+05:00', to: '2026-11-01T00:00:00+05:00' };

async function untilDone(id: string, headers: { authorization: string }) {
  for (let i = 0; i < 1_500; i += 1) {
    const res = await t.app.inject({ method: 'GET', url: `/v1/rules/backtests/${id}`, headers });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    if (body.state === 'completed' || body.state === 'failed') return body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`backtest ${id} did not finish within about three minutes`);
}

beforeAll(async () => {
  t = await startTestApp({ BACKTEST_SYNC_MAX_DAYS: '30' });
  await queue.obliterate({ force: true });
  await events.waitUntilReady();
  await t.pool.query('TRUNCATE flag, flag_history, rule_version, rule, officer, vehicle, camera, dispatch, pseudonym CASCADE');
  const city = simulateCity({ seed: 5, violations: 1_500 });
  await new ReferenceRepository(t.pool).load(city.reference);
  await ingestStream(new IngestPipeline(new LedgerWriter(t.pool)), city.events());
  officerIds = new Set(city.reference.officers.map((o) => o.id));
  await installRulePack(new RuleRepository(createPrismaClient(t.pool)));
  worker = startWorkerProcess({ DATABASE_URL: testDatabaseUrl(), REDIS_URL: testRedisUrl(), LOG_LEVEL: 'warn' });
  [author, admin] = await Promise.all([t.signIn('author'), t.signIn('admin')]);
});

afterAll(async () => {
  if (worker !== undefined && worker.exitCode === null) await new Promise((resolve) => worker.once('exit', resolve).kill('SIGTERM'));
  await events.close();
  await queue.close();
  await t.close();
});

describe('backtest jobs', () => {
  it('answers a range within BACKTEST_SYNC_MAX_DAYS at once, with pseudonyms for a rule author', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/rules/backtest',
      headers: author,
      payload: { definition: everyOfficerDraft(), from: '2026-10-01T00:00:00+05:00', to: '2026-10-31T00:00:00+05:00' },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.pseudonymised).toBe(true);
    expect(body.flags.length).toBeGreaterThan(0);
    for (const f of body.flags) expect(officerIds.has(f.subjectId)).toBe(false);
  });

  it('runs a longer range as a worker job with progress, and serves the result pseudonymised to rule authors only', async () => {
    const seen: number[] = [];
    let jobId = '';
    const onProgress = ({ jobId: id, data }: { jobId: string; data: unknown }) => {
      if (id === jobId && typeof data === 'number') seen.push(data);
    };
    events.on('progress', onProgress);
    const res = await t.app.inject({ method: 'POST', url: '/v1/rules/backtest', headers: author, payload: { definition: everyOfficerDraft(), ...LONG } });
    expect(res.statusCode).toBe(202);
    jobId = res.json().id;
    expect(jobId).toMatch(/^backtest-[0-9a-f]{40}$/u);
    expect(['waiting', 'active', 'prioritized', 'completed']).toContain(res.json().state);

    const done = await untilDone(jobId, author);
    events.off('progress', onProgress);
    expect(done).toMatchObject({ state: 'completed', progress: 100, failedReason: null });
    expect(seen).toEqual([50, 75, 98, 100]);
    const forAuthor = done.result;
    expect(forAuthor.pseudonymised).toBe(true);
    expect(forAuthor.range).toEqual({ from: '2025-09-30T19:00:00.000Z', to: '2026-10-31T19:00:00.000Z' });
    expect(forAuthor.flags.length).toBeGreaterThan(1);
    expect(forAuthor.diff.added.length).toBe(forAuthor.flags.length);
    for (const f of forAuthor.flags) {
      expect(officerIds.has(f.subjectId)).toBe(false);
      for (const text of Object.values(f.explanation) as string[]) for (const id of officerIds) expect(text).not.toContain(id);
    }

    const forAdmin = (await t.app.inject({ method: 'GET', url: `/v1/rules/backtests/${jobId}`, headers: admin })).json().result;
    expect(forAdmin.pseudonymised).toBeUndefined();
    expect(forAdmin.flags.length).toBe(forAuthor.flags.length);
    for (const f of forAdmin.flags) expect(officerIds.has(f.subjectId)).toBe(true);
    // The same people under the same pseudonyms: counts per subject line up once mapped.
    expect(forAdmin.flags.map((f: { score: number }) => f.score).sort()).toEqual(forAuthor.flags.map((f: { score: number }) => f.score).sort());
    const logged = await t.pool.query("SELECT 1 FROM access_log WHERE action = 'rule_backtest_read' AND subject_id = $1", [`off-shift-action@${jobId}`]);
    expect(logged.rowCount).toBe(1);
  }, 240_000);

  it('answers the same job for the same draft and range, however its keys are ordered', async () => {
    const draft = everyOfficerDraft();
    const reordered = Object.fromEntries(Object.entries(draft).reverse());
    const first = await t.app.inject({ method: 'POST', url: '/v1/rules/backtest', headers: author, payload: { definition: draft, ...LONG } });
    const again = await t.app.inject({ method: 'POST', url: '/v1/rules/backtest', headers: admin, payload: { definition: reordered, ...LONG } });
    expect(again.statusCode).toBe(202);
    expect(again.json().id).toBe(first.json().id);
    expect(again.json().state).toBe('completed');
    const counts = await queue.getJobCounts('completed', 'waiting', 'active', 'failed', 'delayed');
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('refuses a draft of 64 KB or more as a job with 413 naming definition, and an unknown job with 404', async () => {
    const big = everyOfficerDraft();
    big['description'] = 'x'.repeat(70_000);
    const res = await t.app.inject({ method: 'POST', url: '/v1/rules/backtest', headers: author, payload: { definition: big, ...LONG } });
    expect(res.statusCode).toBe(413);
    expect(res.json().reasons[0]).toMatchObject({ path: 'definition', message: expect.stringMatching(/bytes/u) });
    const unknown = await t.app.inject({ method: 'GET', url: '/v1/rules/backtests/backtest-none', headers: author });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().reasons[0].path).toBe('id');
    const tooLong = await t.app.inject({ method: 'POST', url: '/v1/rules/backtest', headers: author, payload: { definition: everyOfficerDraft(), from: '2010-01-01T00:00:00Z', to: LONG.to } });
    expect(tooLong.statusCode).toBe(422);
    expect(tooLong.json().reasons[0].path).toBe('to');
  });

  it('refuses an invalid draft before queueing it, naming the field', async () => {
    const bad = everyOfficerDraft();
    bad['conditions'] = { all: [{ fact: 'noSuchFact', operator: 'equal', value: 1 }] };
    const res = await t.app.inject({ method: 'POST', url: '/v1/rules/backtest', headers: author, payload: { definition: bad, ...LONG } });
    expect(res.statusCode).toBe(422);
    expect(res.json().reasons[0].path).toMatch(/^definition\.conditions/u);
  });
});
