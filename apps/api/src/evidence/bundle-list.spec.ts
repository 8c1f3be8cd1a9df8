import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { QUEUES } from '@qadaga/contracts';
import { UserRepository } from '@qadaga/db';
import { testDatabaseUrl, testRedisUrl } from '@qadaga/db/testing';
import { startWorkerProcess } from '@qadaga/demo';
import { TEST_PASSWORD, insertFlag, startTestApp, type TestApp } from '../testing/test-app.js';

let t: TestApp;
let worker: ChildProcess;
let auditor: { authorization: string };
let prosecutor: { authorization: string };
const RANGE = { from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' };

interface Listed {
  id: string; caseId: string | null; caseNumber: string | null; status: string; size: number | null; sha256: string | null;
  requestedBy: string; requestedByName: string | null; reason: string; createdAt: string; finishedAt: string | null; query: unknown;
}

async function until<T>(what: string, read: () => Promise<T | null>): Promise<T> {
  for (let i = 0; i < 1_200; i += 1) {
    const value = await read();
    if (value !== null) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not happen within two minutes`);
}

const list = async (query = '', headers = auditor) => {
  const res = await t.app.inject({ method: 'GET', url: `/v1/bundles${query}`, headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ items: Listed[]; withheld: number }>();
};
const done = (id: string) => until(`bundle ${id}`, async () => ((await list()).items.find((b) => b.id === id && b.status === 'done') ?? null));

beforeAll(async () => {
  t = await startTestApp();
  const url = new URL(testRedisUrl());
  const q = new Queue(QUEUES.evidence, { connection: { host: url.hostname, port: Number(url.port || 6379), db: Number(url.pathname.slice(1) || 0) } });
  await q.obliterate({ force: true });
  await q.close();
  auditor = await t.signIn('auditor');
  prosecutor = await t.signIn('prosecutor');
  worker = startWorkerProcess({ DATABASE_URL: testDatabaseUrl(), REDIS_URL: testRedisUrl(), LOG_LEVEL: 'warn' });
}, 60_000);

afterAll(async () => {
  if (worker !== undefined && worker.exitCode === null) await new Promise((resolve) => worker.once('exit', resolve).kill('SIGTERM'));
  await t?.close();
});

describe('the bundles an auditor finds again', () => {
  it('lists every bundle newest first with its builder’s name, size, hash, reason and case number, and by case', async () => {
    const flagId = await insertFlag(t.pool, { subjectId: 'OF-BL-1', unit: 'U-BL' });
    const opened = await t.app.inject({ method: 'POST', url: '/v1/cases', headers: prosecutor, payload: { title: 'Cancellations by OF-BL-1', flagIds: [flagId] } });
    const kase = opened.json<{ id: string; number: string }>();
    const forCase = (await t.app.inject({ method: 'POST', url: `/v1/cases/${kase.id}/bundles`, headers: prosecutor, payload: { reason: 'for the court hearing' } })).json<{ id: string }>();
    const forQuery = (await t.app.inject({ method: 'POST', url: '/v1/bundles', headers: auditor, payload: { reason: 'every flag of the year', query: RANGE } })).json<{ id: string }>();
    const built = await done(forCase.id);
    await done(forQuery.id);
    const { items, withheld } = await list();
    expect(withheld).toBe(0);
    expect(items.map((b) => b.id).slice(0, 2)).toEqual([forQuery.id, forCase.id]);
    expect(built).toMatchObject({
      caseId: kase.id,
      caseNumber: kase.number,
      requestedBy: `user:${t.users.prosecutor.id}`,
      requestedByName: 'Test prosecutor',
      reason: 'for the court hearing',
      status: 'done',
    });
    expect(built.size).toBeGreaterThan(0);
    expect(built.finishedAt).not.toBeNull();
    expect(items.find((b) => b.id === forQuery.id)).toMatchObject({ caseId: null, caseNumber: null, requestedByName: 'Test auditor', query: { subjects: [], ruleIds: [], ...RANGE } });
    expect(built).toMatchObject({ query: null });
    // The listed hash and size are those of the file the download serves.
    const file = await t.app.inject({ method: 'GET', url: `/v1/bundles/${built.id}/download`, headers: auditor });
    expect(file.rawPayload.length).toBe(built.size);
    expect(createHash('sha256').update(file.rawPayload).digest('hex')).toBe(built.sha256);
    expect((await list(`?case=${kase.id.toUpperCase()}`)).items.map((b) => b.id)).toEqual([forCase.id]);
    const { rows: logged } = await t.pool.query<{ subject_kind: string; details: { shown: string[]; withheld: number } }>(
      `SELECT subject_kind, details FROM access_log WHERE action = 'list_bundles' AND subject_id = $1`,
      [kase.id],
    );
    expect(logged).toEqual([{ subject_kind: 'case', details: { limit: 50, offset: 0, shown: [forCase.id], withheld: 0 } }]);
    expect((await list('?limit=1&offset=1')).items.map((b) => b.id)).toEqual([forCase.id]);
    const bad = await t.app.inject({ method: 'GET', url: '/v1/bundles?case=nope', headers: auditor });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().reasons[0].path).toBe('case');

    // The case's timeline says when its evidence was asked for, built and downloaded, and by whom.
    const detail = (await t.app.inject({ method: 'GET', url: `/v1/cases/${kase.id}`, headers: prosecutor })).json<{ timeline: { actor: string; actorName: string | null; action: string; details: Record<string, unknown> }[] }>();
    const exports = detail.timeline.filter((e) => e.action.startsWith('bundle_'));
    expect(exports).toEqual([
      { at: expect.any(String), actor: `user:${t.users.prosecutor.id}`, actorName: 'Test prosecutor', action: 'bundle_requested', details: { bundleId: forCase.id, reason: 'for the court hearing', fileName: `${kase.number}-evidence.zip` } },
      { at: expect.any(String), actor: 'system:evidence-worker', actorName: null, action: 'bundle_built', details: { bundleId: forCase.id, fileName: `${kase.number}-evidence.zip`, sha256: built.sha256, size: built.size } },
      { at: expect.any(String), actor: `user:${t.users.auditor.id}`, actorName: 'Test auditor', action: 'bundle_downloaded', details: { bundleId: forCase.id, fileName: `${kase.number}-evidence.zip`, sha256: built.sha256 } },
    ]);
  }, 150_000);

  it('withholds the bundles about the reader’s own officer or unit, and counts them', async () => {
    const flagId = await insertFlag(t.pool, { subjectId: 'OF-BL-9', unit: 'U-BL9' });
    const kase = (await t.app.inject({ method: 'POST', url: '/v1/cases', headers: prosecutor, payload: { title: 'Unit U-BL9', flagIds: [flagId] } })).json<{ id: string }>();
    const aboutThem = (await t.app.inject({ method: 'POST', url: `/v1/cases/${kase.id}/bundles`, headers: prosecutor, payload: { reason: 'for the court hearing' } })).json<{ id: string }>();
    const named = (await t.app.inject({ method: 'POST', url: '/v1/bundles', headers: auditor, payload: { reason: 'one officer’s year', query: { subjects: [{ kind: 'officer', id: 'OF-BL-9' }], ...RANGE } } })).json<{ id: string }>();
    await done(aboutThem.id);
    await done(named.id);
    await new UserRepository(t.pool).create({ username: 'bl-linked', displayName: 'Linked auditor', password: TEST_PASSWORD, roles: ['auditor'], unit: 'U-BL9' });
    const login = await t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'bl-linked', password: TEST_PASSWORD } });
    const linked = { authorization: `Bearer ${login.json<{ token: string }>().token}` };
    const all = await list();
    const theirs = await list('', linked);
    expect(all.items.map((b) => b.id)).toEqual(expect.arrayContaining([aboutThem.id, named.id]));
    expect(theirs.items.map((b) => b.id)).not.toContain(aboutThem.id);
    expect(theirs.items.map((b) => b.id)).not.toContain(named.id);
    expect(theirs.withheld).toBe(2);
    expect(theirs.items).toHaveLength(all.items.length - 2);
    expect(JSON.stringify(theirs)).not.toMatch(/OF-BL-9|U-BL9/u);
    // A recused requester's query leaves their own unit out; the list does not tell others which unit that was.
    const own = await t.app.inject({ method: 'POST', url: '/v1/bundles', headers: linked, payload: { reason: 'every flag of the year', query: RANGE } });
    expect(own.statusCode, own.body).toBe(202);
    const listed = (await list()).items.find((b) => b.id === own.json<{ id: string }>().id);
    expect(listed?.query).toEqual({ subjects: [], ruleIds: [], ...RANGE });
    expect(JSON.stringify(listed)).not.toMatch(/U-BL9/u);
  }, 150_000);
});
