import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserRepository } from '@qadaga/db';
import { insertFlag, startTestApp, TEST_PASSWORD, type TestApp } from '../testing/test-app.js';

let t: TestApp;
let p1: { authorization: string };
let p2: { authorization: string };
let auditor: { authorization: string };
let recused: { authorization: string };
const RECUSED_OFFICER = 'OFF-TASKS-1';

beforeAll(async () => {
  t = await startTestApp();
  [p1, p2, auditor] = await Promise.all([t.signIn('prosecutor'), t.signIn('prosecutor2'), t.signIn('auditor')]);
  await new UserRepository(t.pool).create({ username: 'tasks-linked', displayName: 'Linked to an officer', password: TEST_PASSWORD, roles: ['prosecutor'], officerId: RECUSED_OFFICER });
  const res = await t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'tasks-linked', password: TEST_PASSWORD } });
  recused = { authorization: `Bearer ${res.json<{ token: string }>().token}` };
});
afterAll(async () => t.close());

const call = (method: 'GET' | 'POST', url: string, headers: { authorization: string }, payload?: unknown) =>
  t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });

const inAWeek = () => new Date(Date.now() + 7 * 86_400_000).toISOString();

interface Task {
  id: string;
  title: string;
  status: string;
  owner: { id: string; displayName: string } | null;
  dueAt: string | null;
  doneBy: string | null;
  doneByName: string | null;
  doneAt: string | null;
}

async function openCase(subjectId?: string) {
  const flag = await insertFlag(t.pool, subjectId === undefined ? {} : { subjectId });
  const res = await call('POST', '/v1/cases', p1, { title: 'Cancellations of one car by one officer', flagIds: [flag] });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>();
}

async function addTask(caseId: string, body: Record<string, unknown>) {
  return call('POST', `/v1/cases/${caseId}/tasks`, p1, body);
}

describe('case tasks', () => {
  it('adds a task with an owner and a due date, marks it done and reopens it, each a step on the timeline', async () => {
    const c = await openCase();
    const due = inAWeek();
    const added = await addTask(c.id, { title: 'Ask the unit for the camera fault log', ownerId: t.users.prosecutor2.id, dueAt: due });
    expect(added.statusCode, added.body).toBe(201);
    const [task] = added.json<{ tasks: Task[] }>().tasks;
    expect(task).toMatchObject({ title: 'Ask the unit for the camera fault log', status: 'open', owner: { id: t.users.prosecutor2.id, displayName: 'Test prosecutor2' }, doneBy: null });
    expect(Date.parse(task!.dueAt ?? '')).toBe(Date.parse(due));

    const done = await call('POST', `/v1/cases/${c.id}/tasks/${task!.id}/done`, p2);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json<{ tasks: Task[] }>().tasks[0]).toMatchObject({ status: 'done', doneBy: `user:${t.users.prosecutor2.id}`, doneByName: 'Test prosecutor2' });
    expect((await call('POST', `/v1/cases/${c.id}/tasks/${task!.id}/done`, p2)).statusCode).toBe(409);

    const reopened = await call('POST', `/v1/cases/${c.id}/tasks/${task!.id.toUpperCase()}/reopen`, p1);
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(reopened.json<{ tasks: Task[] }>().tasks[0]).toMatchObject({ status: 'open', doneBy: null, doneAt: null });

    // Readers see the tasks with the case; the timeline names each step and the task it is about.
    const read = (await call('GET', `/v1/cases/${c.id}`, auditor)).json<{ tasks: Task[]; timeline: { action: string; actor: string; details: Record<string, unknown> }[] }>();
    expect(read.tasks.map((k) => k.title)).toEqual(['Ask the unit for the camera fault log']);
    const steps = read.timeline.filter((e) => e.action.startsWith('task_'));
    expect(steps.map((e) => [e.action, e.details['title']])).toEqual([
      ['task_added', 'Ask the unit for the camera fault log'],
      ['task_done', 'Ask the unit for the camera fault log'],
      ['task_reopened', 'Ask the unit for the camera fault log'],
    ]);
    expect(steps[0]?.details).toMatchObject({ ownerId: t.users.prosecutor2.id, ownerName: 'Test prosecutor2' });
    expect(steps[1]?.actor).toBe(`user:${t.users.prosecutor2.id}`);
    const { rows } = await t.pool.query<{ action: string }>(`SELECT action FROM access_log WHERE subject_id = $1 AND action LIKE 'case_task_%' ORDER BY id`, [c.id]);
    expect(rows.map((r) => r.action)).toEqual(['case_task_added', 'case_task_done', 'case_task_reopened']);
  });

  it('adds a task with no owner and no date, and refuses a bad title naming it', async () => {
    const c = await openCase();
    const res = await addTask(c.id, { title: 'Read the orders', ownerId: null, dueAt: null });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<{ tasks: Task[] }>().tasks[0]).toMatchObject({ owner: null, dueAt: null });
    const bad = await addTask(c.id, { title: 'x', dueAt: '2020-01-01T00:00:00Z' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json<{ reasons: { path: string }[] }>().reasons.map((r) => r.path).sort()).toEqual(['dueAt', 'title']);
  });

  it('gives tasks only to active prosecutors, naming ownerId', async () => {
    const c = await openCase();
    for (const ownerId of [t.users.auditor.id, '00000000-0000-4000-8000-00000000abcd']) {
      const res = await addTask(c.id, { title: 'Question the officer', ownerId });
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json<{ reasons: { path: string }[] }>().reasons[0]).toMatchObject({ path: 'ownerId' });
    }
    const notUuid = await addTask(c.id, { title: 'Question the officer', ownerId: 'someone' });
    expect(notUuid.statusCode).toBe(422);
    expect(notUuid.json<{ reasons: { path: string }[] }>().reasons[0]).toMatchObject({ path: 'ownerId' });
    const { rows } = await t.pool.query('SELECT 1 FROM case_task WHERE case_id = $1', [c.id]);
    expect(rows).toEqual([]);
  });

  it('answers an unknown task with 404 naming taskId, and lets only the case writers act', async () => {
    const c = await openCase();
    const res = await call('POST', `/v1/cases/${c.id}/tasks/00000000-0000-4000-8000-000000000000/done`, p1);
    expect(res.statusCode).toBe(404);
    expect(res.json<{ reasons: { path: string }[] }>().reasons[0]).toMatchObject({ path: 'taskId' });
    expect((await addTask(c.id, { title: 'ok title' })).statusCode).toBe(201);
    expect((await call('POST', `/v1/cases/${c.id}/tasks`, auditor, { title: 'auditors only read' })).statusCode).toBe(403);
  });

  it('refuses a user recused from the officer the case is about, on every task action', async () => {
    const c = await openCase(RECUSED_OFFICER);
    const task = (await addTask(c.id, { title: 'Ask for the dispatch log' })).json<{ tasks: Task[] }>().tasks[0]!;
    for (const [url, body] of [
      [`/v1/cases/${c.id}/tasks`, { title: 'My own case' }],
      [`/v1/cases/${c.id}/tasks/${task.id}/done`, undefined],
      [`/v1/cases/${c.id}/tasks/${task.id}/reopen`, undefined],
    ] as const) {
      const res = await call('POST', url, recused, body);
      expect(res.statusCode, url).toBe(403);
      expect(res.body).toMatch(/recus/u);
      expect(res.body).not.toContain(RECUSED_OFFICER);
    }
    const { rows } = await t.pool.query<{ status: string }>('SELECT status FROM case_task WHERE case_id = $1', [c.id]);
    expect(rows).toEqual([{ status: 'open' }]);
  });

  it('refuses a task on a closed case', async () => {
    const c = await openCase();
    expect((await call('POST', `/v1/cases/${c.id}/close-request`, p1, { outcome: 'unfounded', reason: 'camera fault act 22' })).statusCode).toBe(200);
    expect((await call('POST', `/v1/cases/${c.id}/close-approve`, p2)).statusCode).toBe(200);
    const res = await addTask(c.id, { title: 'Too late for this' });
    expect(res.statusCode).toBe(409);
    expect(res.json<{ message: string }>().message).toMatch(/closed/u);
  });

  it('refuses a close while tasks are open until the request confirms them, and records that it did', async () => {
    const c = await openCase();
    const [first, second] = [
      (await addTask(c.id, { title: 'Ask for the fault log' })).json<{ tasks: Task[] }>().tasks[0]!,
      (await addTask(c.id, { title: 'Question the officer' })).json<{ tasks: Task[] }>().tasks[1]!,
    ];
    await call('POST', `/v1/cases/${c.id}/tasks/${first.id}/done`, p1);
    const refused = await call('POST', `/v1/cases/${c.id}/close-request`, p1, { outcome: 'substantiated', reason: 'the log shows no fault' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ reasons: { path: string; message: string }[] }>().reasons[0]).toMatchObject({ path: 'acknowledgeOpenTasks', message: expect.stringMatching(/^1 task/u) });
    expect((await call('POST', `/v1/cases/${c.id}/close-request`, p1, { outcome: 'substantiated', reason: 'the log shows no fault', acknowledgeOpenTasks: false })).statusCode).toBe(409);
    const asked = await call('POST', `/v1/cases/${c.id}/close-request`, p1, { outcome: 'substantiated', reason: 'the log shows no fault', acknowledgeOpenTasks: true });
    expect(asked.statusCode, asked.body).toBe(200);
    const detail = asked.json<{ closeRequest: { outcome: string } | null; timeline: { action: string; details: Record<string, unknown> }[]; tasks: Task[] }>();
    expect(detail.closeRequest).toMatchObject({ outcome: 'substantiated' });
    expect(detail.timeline.at(-1)).toMatchObject({ action: 'close_requested', details: { outcome: 'substantiated', openTasks: 1 } });
    expect(detail.tasks.find((k) => k.id === second.id)?.status).toBe('open');
  });

  it('records every read the printed report makes: the case and each of its flags; the checkpoint holds no personal data', async () => {
    const c = await openCase();
    const detail = (await call('GET', `/v1/cases/${c.id}`, auditor)).json<{ flagIds: string[] }>();
    for (const flagId of detail.flagIds) expect((await call('GET', `/v1/flags/${flagId}`, auditor)).statusCode).toBe(200);
    const { rows } = await t.pool.query<{ action: string; subject_id: string }>(
      `SELECT action, subject_id FROM access_log WHERE principal = $1 AND action IN ('view_case', 'view_flag') AND at > now() - interval '1 minute' ORDER BY id`,
      [`user:${t.users.auditor.id}`],
    );
    const flag = (await t.pool.query<{ subject_id: string }>('SELECT subject_id FROM flag WHERE id = $1', [detail.flagIds[0]])).rows[0]!.subject_id;
    expect(rows).toEqual(expect.arrayContaining([{ action: 'view_case', subject_id: c.id }, { action: 'view_flag', subject_id: flag }]));
  });

  it('refuses a close without an outcome, naming it, whatever is confirmed', async () => {
    const c = await openCase();
    for (const body of [{ reason: 'nothing here' }, { reason: 'nothing here', acknowledgeOpenTasks: true }, { outcome: null, reason: 'nothing here' }]) {
      const res = await call('POST', `/v1/cases/${c.id}/close-request`, p1, body);
      expect(res.statusCode).toBe(422);
      expect(res.json<{ reasons: { path: string }[] }>().reasons.map((r) => r.path)).toContain('outcome');
    }
    const read = (await call('GET', `/v1/cases/${c.id}`, p1)).json<{ closeRequest: unknown }>();
    expect(read.closeRequest).toBeNull();
  });
});
