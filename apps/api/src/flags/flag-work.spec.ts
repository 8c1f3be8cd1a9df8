import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserRepository } from '@qadaga/db';
import { TEST_PASSWORD, insertFlag, startTestApp, type TestApp } from '../testing/test-app.js';

let t: TestApp;
let p1: { authorization: string };
let admin: { authorization: string };
let linked: { authorization: string };
const RECUSED_OFFICER = 'OFF-SELF-1';

beforeAll(async () => {
  t = await startTestApp();
  p1 = await t.signIn('prosecutor');
  admin = await t.signIn('admin');
  await new UserRepository(t.pool).create({ username: 'work-linked', displayName: 'Linked prosecutor', password: TEST_PASSWORD, roles: ['prosecutor'], officerId: RECUSED_OFFICER });
  const res = await t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'work-linked', password: TEST_PASSWORD } });
  linked = { authorization: `Bearer ${res.json<{ token: string }>().token}` };
});
afterAll(async () => t.close());

const post = (url: string, who: { authorization: string }, payload: unknown) => t.app.inject({ method: 'POST', url, headers: who, payload: payload as Record<string, unknown> });
const get = (url: string, who: { authorization: string }) => t.app.inject({ method: 'GET', url, headers: who });
const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString();
const paths = (body: { reasons: { path: string }[] }) => body.reasons.map((r) => r.path);

async function accessLog(action: string, flagId: string) {
  const { rows } = await t.pool.query<{ principal: string; details: Record<string, unknown> | null }>(
    'SELECT principal, details FROM access_log WHERE action = $1 AND subject_kind = $2 AND subject_id = $3 ORDER BY at',
    [action, 'flag', flagId],
  );
  return rows;
}

describe('comments on a flag before any case', () => {
  it('stores a comment with its author and time, lists it on the flag page, and writes the history and the access log', async () => {
    const flag = await insertFlag(t.pool);
    const res = await post(`/v1/flags/${flag}/comments`, p1, { text: '  Asked the unit for the shift roster.  ' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ authorId: `user:${t.users.prosecutor.id}`, authorName: 'Test prosecutor', text: 'Asked the unit for the shift roster.' });
    await post(`/v1/flags/${flag.toUpperCase()}/comments`, admin, { text: 'Second look: the cancellations cluster on Fridays.' });
    const page = (await get(`/v1/flags/${flag}`, p1)).json();
    expect(page.comments.map((c: { authorName: string; text: string }) => [c.authorName, c.text])).toEqual([
      ['Test prosecutor', 'Asked the unit for the shift roster.'],
      ['Test admin', 'Second look: the cancellations cluster on Fridays.'],
    ]);
    expect(page.comments[0].at).toMatch(/^\d{4}-\d{2}-\d{2}T/u);
    expect(page.history.filter((h: { action: string }) => h.action === 'commented').map((h: { actorName: string | null }) => h.actorName)).toEqual(['Test prosecutor', 'Test admin']);
    expect(await accessLog('flag_commented', flag)).toHaveLength(2);
    // A record, not a draft: the database refuses to rewrite or delete it.
    await expect(t.pool.query(`UPDATE flag_comment SET text = 'rewritten' WHERE flag_id = $1`, [flag])).rejects.toThrow();
    await expect(t.pool.query('DELETE FROM flag_comment WHERE flag_id = $1', [flag])).rejects.toThrow();
  });

  it('refuses an empty or too long comment naming text, and writes nothing', async () => {
    const flag = await insertFlag(t.pool);
    for (const text of ['', '   ', 'x'.repeat(4_001)]) {
      const res = await post(`/v1/flags/${flag}/comments`, p1, { text });
      expect(res.statusCode, res.body).toBe(422);
      expect(paths(res.json())).toEqual(['text']);
    }
    expect((await post(`/v1/flags/${flag}/comments`, p1, { text: 'x'.repeat(4_000) })).statusCode).toBe(201);
    const { rows } = await t.pool.query('SELECT count(*)::int AS n FROM flag_comment WHERE flag_id = $1', [flag]);
    expect(rows[0].n).toBe(1);
    expect((await post('/v1/flags/00000000-0000-4000-8000-000000000000/comments', p1, { text: 'nobody home' })).statusCode).toBe(404);
  });

  it('refuses a person recused from the flag’s officer, and keeps their text out', async () => {
    const flag = await insertFlag(t.pool, { subjectId: RECUSED_OFFICER, unit: 'U-OTHER' });
    const res = await post(`/v1/flags/${flag}/comments`, linked, { text: 'nothing to see here' });
    expect(res.statusCode).toBe(403);
    expect(res.body).toMatch(/recus/u);
    const { rows } = await t.pool.query('SELECT count(*)::int AS n FROM flag_comment WHERE flag_id = $1', [flag]);
    expect(rows[0].n).toBe(0);
  });
});

describe('giving a flag to a prosecutor by a date', () => {
  it('assigns to an active prosecutor with a due date, shows both on the list and the page, and records names in the history and access log', async () => {
    const flag = await insertFlag(t.pool, { ruleId: 'flag-work-assign' });
    const due = tomorrow();
    const res = await post(`/v1/flags/${flag}/assign`, p1, { assigneeId: t.users.prosecutor2.id, dueAt: due });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ assignee: { id: t.users.prosecutor2.id, displayName: 'Test prosecutor2' }, dueAt: new Date(due).toISOString() });
    const listed = (await get('/v1/flags?rule=flag-work-assign', p1)).json().flags[0];
    expect(listed).toMatchObject({ id: flag, assignee: { displayName: 'Test prosecutor2' }, dueAt: new Date(due).toISOString() });
    // Handed on to another prosecutor, then to nobody: each change of person is one line naming both.
    await post(`/v1/flags/${flag}/assign`, p1, { assigneeId: t.users.prosecutor.id, dueAt: due });
    await post(`/v1/flags/${flag}/assign`, p1, { assigneeId: null, dueAt: null });
    const page = (await get(`/v1/flags/${flag}`, p1)).json();
    expect(page).toMatchObject({ assignee: null, dueAt: null });
    const steps = page.history.filter((h: { action: string }) => h.action === 'assigned' || h.action === 'due').map((h: { action: string; from: string | null; to: string | null }) => [h.action, h.from, h.to]);
    expect(steps).toEqual([
      ['assigned', null, 'Test prosecutor2'],
      ['due', null, new Date(due).toISOString()],
      ['assigned', 'Test prosecutor2', 'Test prosecutor'],
      ['assigned', 'Test prosecutor', null],
      ['due', new Date(due).toISOString(), null],
    ]);
    const logged = await accessLog('flag_assigned', flag);
    expect(logged.map((r) => r.details?.['assigneeName'])).toEqual(['Test prosecutor2', 'Test prosecutor', null]);
    expect(logged[0]?.principal).toBe(`user:${t.users.prosecutor.id}`);
  });

  it('refuses anyone but an active prosecutor, naming assigneeId, and changes nothing', async () => {
    const flag = await insertFlag(t.pool);
    const people = new UserRepository(t.pool);
    const gone = await people.create({ username: 'gone-prosecutor', displayName: 'Gone', roles: ['prosecutor'] });
    await t.pool.query('UPDATE app_user SET disabled_at = now() WHERE id = $1', [gone.id]);
    for (const assigneeId of [t.users.auditor.id, t.users.author.id, t.users.admin.id, gone.id, '00000000-0000-4000-8000-000000000009']) {
      const res = await post(`/v1/flags/${flag}/assign`, p1, { assigneeId, dueAt: null });
      expect(res.statusCode, res.body).toBe(422);
      expect(paths(res.json())).toEqual(['assigneeId']);
    }
    const malformed = await post(`/v1/flags/${flag}/assign`, p1, { assigneeId: 'me', dueAt: 'next week' });
    expect(malformed.statusCode).toBe(422);
    expect(paths(malformed.json()).sort()).toEqual(['assigneeId', 'dueAt']);
    const page = (await get(`/v1/flags/${flag}`, p1)).json();
    expect(page).toMatchObject({ assignee: null, dueAt: null });
    expect(page.history.map((h: { action: string }) => h.action)).toEqual([]);
    expect(await accessLog('flag_assigned', flag)).toEqual([]);
  });

  it('refuses a due date already past, naming dueAt', async () => {
    const flag = await insertFlag(t.pool);
    const res = await post(`/v1/flags/${flag}/assign`, p1, { assigneeId: t.users.prosecutor.id, dueAt: '2020-01-01T00:00:00+05:00' });
    expect(res.statusCode).toBe(422);
    expect(paths(res.json())).toEqual(['dueAt']);
    expect((await get(`/v1/flags/${flag}`, p1)).json().assignee).toBeNull();
  });

  it('refuses a recused caller, and never hands a flag to a person recused from it', async () => {
    const own = await insertFlag(t.pool, { ruleId: 'flag-work-own', subjectId: RECUSED_OFFICER, unit: 'U-OTHER' });
    const refused = await post(`/v1/flags/${own}/assign`, linked, { assigneeId: t.users.prosecutor.id, dueAt: null });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toMatch(/recus/u);
    const linkedId = (await t.pool.query<{ id: string }>(`SELECT id FROM app_user WHERE username = 'work-linked'`)).rows[0]!.id;
    const handed = await post(`/v1/flags/${own}/assign`, p1, { assigneeId: linkedId, dueAt: null });
    expect(handed.statusCode).toBe(422);
    expect(handed.json().reasons).toEqual([expect.objectContaining({ path: 'assigneeId', message: 'this person is recused from this flag' })]);
  });
});
