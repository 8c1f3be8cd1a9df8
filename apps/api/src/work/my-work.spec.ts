import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserRepository } from '@qadaga/db';
import { TEST_PASSWORD, insertFlag, startTestApp, type TestApp } from '../testing/test-app.js';

let t: TestApp;
let p1: { authorization: string };
let admin: { authorization: string };

beforeAll(async () => {
  t = await startTestApp();
  p1 = await t.signIn('prosecutor');
  admin = await t.signIn('admin');
});
afterAll(async () => t.close());

const post = (url: string, who: { authorization: string }, payload: unknown) => t.app.inject({ method: 'POST', url, headers: who, payload: payload as Record<string, unknown> });
const get = (url: string, who: { authorization: string }) => t.app.inject({ method: 'GET', url, headers: who });
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

async function signInAs(username: string, links: { officerId?: string; unit?: string }) {
  await new UserRepository(t.pool).create({ username, displayName: username, password: TEST_PASSWORD, roles: ['prosecutor'], ...links });
  const res = await t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username, password: TEST_PASSWORD } });
  const id = (await t.pool.query<{ id: string }>('SELECT id FROM app_user WHERE username = $1', [username])).rows[0]!.id;
  return { id, session: { authorization: `Bearer ${res.json<{ token: string }>().token}` } };
}

describe('my work', () => {
  it('lists my open flags and my open cases, overdue first, then by due date, undated last; not others’ or closed work', async () => {
    const me = await signInAs('my-work-a', {});
    const [overdueFlag, soonFlag, laterFlag, undatedFlag, dismissed, othersFlag] = await Promise.all(Array.from({ length: 6 }, () => insertFlag(t.pool, { ruleId: 'my-work' })));
    for (const [flag, days] of [[laterFlag, 9], [soonFlag, 2], [undatedFlag, null], [dismissed, 1], [overdueFlag, 3]] as const) {
      const res = await post(`/v1/flags/${flag}/assign`, p1, { assigneeId: me.id, dueAt: days === null ? null : inDays(days) });
      expect(res.statusCode, res.body).toBe(200);
    }
    await post(`/v1/flags/${othersFlag}/assign`, p1, { assigneeId: t.users.prosecutor2.id, dueAt: inDays(1) });
    await post(`/v1/flags/${dismissed}/status`, p1, { status: 'dismissed', reason: 'a noisy camera' });
    // A date that has passed since it was set: the work is now overdue.
    await t.pool.query(`UPDATE flag SET due_at = now() - interval '2 days' WHERE id = $1`, [overdueFlag]);

    const caseFlag = async () => insertFlag(t.pool, { ruleId: 'my-work-case' });
    const open = async (title: string, dueDays: number | null) =>
      (await post('/v1/cases', p1, { title, flagIds: [await caseFlag()], assigneeId: me.id, ...(dueDays === null ? {} : { dueAt: inDays(dueDays) }) })).json<{ id: string }>().id;
    const caseLater = await open('Later case', 5);
    const caseOverdue = await open('Overdue case', 1);
    await t.pool.query(`UPDATE case_file SET due_at = now() - interval '1 day' WHERE id = $1`, [caseOverdue]);
    const caseUndated = await open('Undated case', null);
    await post('/v1/cases', p1, { title: 'Someone else’s case', flagIds: [await caseFlag()], assigneeId: t.users.prosecutor2.id });

    const res = await get('/v1/me/work', me.session);
    expect(res.statusCode, res.body).toBe(200);
    const work = res.json();
    expect(work.flags.map((f: { id: string }) => f.id)).toEqual([overdueFlag, soonFlag, laterFlag, undatedFlag]);
    expect(work.flags.map((f: { overdue: boolean }) => f.overdue)).toEqual([true, false, false, false]);
    expect(work.flags[1].dueAt).toMatch(/Z$/u);
    expect(work.cases.map((c: { id: string }) => c.id)).toEqual([caseOverdue, caseLater, caseUndated]);
    expect(work.cases[0].overdue).toBe(true);
    expect(work.withheld).toEqual({ flags: 0, cases: 0 });
    const { rows } = await t.pool.query(`SELECT count(*)::int AS n FROM access_log WHERE action = 'list_my_work' AND principal = $1`, [`user:${me.id}`]);
    expect(rows[0].n).toBe(1);
  });

  it('never lists a flag or case about the officer or unit I am linked to, even given to me, and says how many were withheld', async () => {
    const me = await signInAs('my-work-linked', { unit: 'U-MINE' });
    const mine = await insertFlag(t.pool, { ruleId: 'my-work-recusal', subjectId: 'OFF-MINE-1', unit: 'U-MINE' });
    const fair = await insertFlag(t.pool, { ruleId: 'my-work-recusal', subjectId: 'OFF-ELSE-1', unit: 'U-ELSE' });
    // Given to me before I was linked to the unit (or by someone who did not know): stored, never shown to me.
    await t.pool.query('UPDATE flag SET assignee_id = $1, due_at = now() + interval $$1 day$$ WHERE id = ANY($2::uuid[])', [me.id, [mine, fair]]);
    const ownCase = (await post('/v1/cases', admin, { title: 'About my own unit', flagIds: [await insertFlag(t.pool, { ruleId: 'my-work-recusal-case', subjectId: 'OFF-MINE-2', unit: 'U-MINE' })] })).json<{ id: string }>().id;
    await t.pool.query('UPDATE case_file SET assignee_id = $1 WHERE id = $2', [me.id, ownCase]);

    const res = await get('/v1/me/work', me.session);
    expect(res.statusCode).toBe(200);
    const work = res.json();
    expect(work.flags.map((f: { id: string }) => f.id)).toEqual([fair]);
    expect(work.cases).toEqual([]);
    expect(work.withheld).toEqual({ flags: 1, cases: 1 });
    expect(res.body).not.toMatch(/U-MINE|OFF-MINE|About my own unit/u);
  });

  it('is for prosecutors and administrators; a key has no work of its own', async () => {
    expect((await get('/v1/me/work', await t.signIn('auditor'))).statusCode).toBe(403);
    expect((await get('/v1/me/work', admin)).statusCode).toBe(200);
    const byKey = await get('/v1/me/work', { authorization: `Bearer ${t.keys.prosecutor}` });
    expect(byKey.json()).toEqual({ flags: [], cases: [], withheld: { flags: 0, cases: 0 } });
  });
});

describe('finding a case on the board', () => {
  it('finds a case by the start of its number or by words of its title, in any case, and takes wildcards literally', async () => {
    const open = async (title: string) => (await post('/v1/cases', p1, { title, flagIds: [await insertFlag(t.pool, { ruleId: 'case-search' })] })).json<{ id: string; number: string }>();
    const towing = await open('Towing fines cancelled by shift 3');
    const speed = await open('Speed downgrades at camera 7');
    const percent = await open('100% of night detections dismissed');
    const search = async (q: string) => {
      const res = await get(`/v1/cases?q=${encodeURIComponent(q)}`, p1);
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ items: { id: string }[]; total: number }>().items.map((c) => c.id);
    };
    expect(await search('towing')).toEqual([towing.id]);
    expect(await search('CAMERA speed')).toEqual([speed.id]);
    expect(await search(towing.number)).toEqual([towing.id]);
    expect(await search(towing.number.toLowerCase())).toEqual([towing.id]);
    expect(await search('%')).toEqual([percent.id]);
    expect(await search('_')).toEqual([]);
    expect(await search('towing camera')).toEqual([]);
    const long = await get(`/v1/cases?q=${'x'.repeat(101)}`, p1);
    expect(long.statusCode).toBe(400);
    expect(long.json().reasons.map((r: { path: string }) => r.path)).toEqual(['q']);
  });
});
