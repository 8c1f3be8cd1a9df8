import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseRepository, UserRepository } from '@qadaga/db';
import { AccessLogVerifier } from '@qadaga/ledger';
import { insertFlag, startTestApp, TEST_PASSWORD, type TestApp } from '../testing/test-app.js';

let t: TestApp;
let p1: { authorization: string };
let p2: { authorization: string };
let auditor: { authorization: string };

beforeAll(async () => {
  t = await startTestApp({ CASE_ATTACHMENT_MAX_BYTES: '1024' });
  [p1, p2, auditor] = await Promise.all([t.signIn('prosecutor'), t.signIn('prosecutor2'), t.signIn('auditor')]);
});
afterAll(async () => t.close());

const call = (method: 'GET' | 'POST', url: string, headers: { authorization: string }, payload?: unknown) =>
  t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });

async function openCase(flagIds: string[], extra: Record<string, unknown> = {}) {
  const res = await call('POST', '/v1/cases', p1, { title: 'Officer OFF-1 cancels detections of one car', flagIds, ...extra });
  expect(res.statusCode).toBe(201);
  return res.json();
}

describe('cases', () => {
  it('opens a case from flags, puts them in the case and numbers it', async () => {
    const f1 = await insertFlag(t.pool);
    const f2 = await insertFlag(t.pool, { subjectId: 'OFF-2' });
    const c = await openCase([f1, f2], { assigneeId: t.users.prosecutor2.id });
    expect(c.number).toMatch(/^C-\d{4}-\d{4}$/u);
    expect(c.status).toBe('open');
    expect(c.assignee).toEqual({ id: t.users.prosecutor2.id, displayName: 'Test prosecutor2' });
    expect(c.flags.map((f: { id: string }) => f.id).sort()).toEqual([f1, f2].sort());
    const flag = (await call('GET', `/v1/flags/${f1}`, p1)).json();
    expect(flag.status).toBe('in_case');
    expect(flag.history.at(-1)).toMatchObject({ to: 'in_case', reason: `added to case ${c.number}` });
  });

  it('reads an id in upper case as the same case, and records it as the one subject it is', async () => {
    const c = await openCase([await insertFlag(t.pool)]);
    const upper = String(c.id).toUpperCase();
    const read = await call('GET', `/v1/cases/${upper}`, auditor);
    expect(read.statusCode).toBe(200);
    expect(read.json().id).toBe(c.id);
    expect((await call('POST', `/v1/cases/${upper}/notes`, p1, { text: 'the same case' })).statusCode).toBe(201);
    const { rows } = await t.pool.query<{ subject_id: string }>(`SELECT DISTINCT subject_id FROM access_log WHERE action IN ('view_case', 'case_note_added') AND lower(subject_id) = $1`, [c.id]);
    expect(rows).toEqual([{ subject_id: c.id }]);
  });

  it('names each bad field, and writes nothing', async () => {
    const before = await t.pool.query('SELECT count(*)::int AS n FROM case_file');
    const res = await call('POST', '/v1/cases', p1, { title: 'x', flagIds: [], dueAt: '2020-01-01T00:00:00Z' });
    expect(res.statusCode).toBe(422);
    const paths = res.json().reasons.map((r: { path: string }) => r.path).sort();
    expect(paths).toEqual(['dueAt', 'flagIds', 'title']);
    const unknown = await call('POST', '/v1/cases', p1, { title: 'Unknown flag', flagIds: ['00000000-0000-4000-8000-000000000000'] });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().reasons[0]).toMatchObject({ path: 'flagIds' });
    const after = await t.pool.query('SELECT count(*)::int AS n FROM case_file');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('keeps notes append-only with author and time, and the timeline in order', async () => {
    const c = await openCase([await insertFlag(t.pool)]);
    const note = await call('POST', `/v1/cases/${c.id}/notes`, p1, { text: 'Asked the register for the cancellation orders.' });
    expect(note.statusCode).toBe(201);
    expect(note.json()).toMatchObject({ authorId: `user:${t.users.prosecutor.id}`, authorName: 'Test prosecutor' });
    await expect(t.pool.query(`UPDATE case_note SET text = 'rewritten' WHERE case_id = $1`, [c.id])).rejects.toThrow(/append-only/u);
    await expect(t.pool.query(`DELETE FROM case_event WHERE case_id = $1`, [c.id])).rejects.toThrow(/append-only/u);
    const got = (await call('GET', `/v1/cases/${c.id}`, auditor)).json();
    expect(got.notes.map((n: { text: string }) => n.text)).toEqual(['Asked the register for the cancellation orders.']);
    expect(got.timeline.map((e: { action: string }) => e.action)).toEqual(['opened', 'flags_added', 'note_added']);
  });

  it('stores attachments by hash and refuses one over the limit naming the field', async () => {
    const c = await openCase([await insertFlag(t.pool)]);
    const content = Buffer.from('order No. 17 of 2026-03-02');
    const res = await call('POST', `/v1/cases/${c.id}/attachments`, p1, { name: 'order.txt', mediaType: 'text/plain', contentBase64: content.toString('base64') });
    expect(res.statusCode).toBe(201);
    expect(res.json().sha256).toBe(createHash('sha256').update(content).digest('hex'));
    const file = await call('GET', `/v1/cases/${c.id}/attachments/${res.json().id}`, auditor);
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(content)).toBe(true);
    const big = await call('POST', `/v1/cases/${c.id}/attachments`, p1, { name: 'big.bin', mediaType: 'application/octet-stream', contentBase64: Buffer.alloc(2048).toString('base64') });
    expect(big.statusCode).toBe(413);
    expect(big.json().reasons[0]).toMatchObject({ path: 'contentBase64', message: expect.stringMatching(/limit is 1024/u) });
  });

  it('moves open -> investigating -> referred and refuses going back', async () => {
    const c = await openCase([await insertFlag(t.pool)]);
    expect((await call('POST', `/v1/cases/${c.id}/status`, p1, { status: 'investigating' })).json().status).toBe('investigating');
    expect((await call('POST', `/v1/cases/${c.id}/status`, p1, { status: 'referred', reason: 'sent to the prosecutor of the district' })).json().status).toBe('referred');
    const back = await call('POST', `/v1/cases/${c.id}/status`, p1, { status: 'investigating' });
    expect(back.statusCode).toBe(409);
    expect(back.json().message).toMatch(/referred cannot become investigating/u);
  });

  it('cannot be closed by the user who asked to close it; a second user closes it and labels its flags', async () => {
    const flagId = await insertFlag(t.pool, { ruleId: 'precision-rule' });
    const other = await insertFlag(t.pool, { ruleId: 'precision-rule', subjectId: 'OFF-9' });
    const c = await openCase([flagId]);
    const asked = await call('POST', `/v1/cases/${c.id}/close-request`, p1, { outcome: 'substantiated', reason: 'orders were forged' });
    expect(asked.json().closeRequest).toMatchObject({ outcome: 'substantiated', requestedByName: 'Test prosecutor' });
    const self = await call('POST', `/v1/cases/${c.id}/close-approve`, p1);
    expect(self.statusCode).toBe(409);
    expect(self.json().message).toMatch(/cannot approve it: another user must/u);
    expect((await call('GET', `/v1/cases/${c.id}`, p1)).json().status).toBe('open');

    const closed = await call('POST', `/v1/cases/${c.id}/close-approve`, p2);
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', outcome: 'substantiated', closedBy: `user:${t.users.prosecutor2.id}` });
    expect(closed.json().flags[0].label).toBe('substantiated');
    expect((await call('POST', `/v1/cases/${c.id}/notes`, p1, { text: 'late' })).statusCode).toBe(409);

    // Precision of the rule: one flag decided and substantiated, one undecided.
    expect((await new CaseRepository(t.pool).outcomesByRule()).get('precision-rule')).toEqual({ hits: 2, decided: 1, substantiated: 1 });
    const { rows } = await t.pool.query('SELECT label FROM flag WHERE id = $1', [other]);
    expect(rows[0].label).toBeNull();
  });

  it('a rejected close goes back to open work, and can be asked again', async () => {
    const c = await openCase([await insertFlag(t.pool)]);
    await call('POST', `/v1/cases/${c.id}/close-request`, p1, { outcome: 'unfounded', reason: 'lawful cancellations' });
    const rejected = await call('POST', `/v1/cases/${c.id}/close-reject`, p2, { reason: 'the orders are not in the file yet' });
    expect(rejected.json().closeRequest).toBeNull();
    expect((await call('POST', `/v1/cases/${c.id}/close-request`, p2, { outcome: 'unfounded', reason: 'lawful after all' })).statusCode).toBe(200);
    const closed = await call('POST', `/v1/cases/${c.id}/close-approve`, p1);
    expect(closed.json().outcome).toBe('unfounded');
  });

  it('lists overdue cases', async () => {
    const c = await openCase([await insertFlag(t.pool)], { dueAt: new Date(Date.now() + 60_000).toISOString() });
    await t.pool.query(`UPDATE case_file SET due_at = now() - interval '1 day' WHERE id = $1`, [c.id]);
    const overdue = (await call('GET', '/v1/cases/overdue', p1)).json();
    expect(overdue.items.map((i: { id: string }) => i.id)).toContain(c.id);
    expect(overdue.items.every((i: { overdue: boolean }) => i.overdue)).toBe(true);
    const listed = (await call('GET', '/v1/cases?overdue=true', p1)).json();
    expect(listed.items.map((i: { id: string }) => i.id)).toEqual(overdue.items.map((i: { id: string }) => i.id));
  });

  it('withholds flags and cases about the user’s own officer record or unit (recusal)', async () => {
    const users = new UserRepository(t.pool);
    await users.create({ username: 'recused', displayName: 'Officer turned prosecutor', password: TEST_PASSWORD, roles: ['prosecutor'], officerId: 'OFF-77', unit: 'U-7' });
    const me = { authorization: `Bearer ${(await t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'recused', password: TEST_PASSWORD } })).json().token}` };
    const own = await insertFlag(t.pool, { subjectId: 'OFF-77', unit: 'U-3' });
    const unitmate = await insertFlag(t.pool, { subjectId: 'OFF-78', unit: 'U-7' });
    const pair = await insertFlag(t.pool, { subjectKind: 'officer_vehicle', subjectId: 'OFF-77|123ABC02', unit: null });
    const c = await openCase([own]);

    const listed = (await call('GET', '/v1/flags?limit=500', me)).json();
    const ids = listed.flags.map((f: { id: string }) => f.id);
    expect(ids).not.toContain(own);
    expect(ids).not.toContain(unitmate);
    expect(ids).not.toContain(pair);
    expect((await call('GET', `/v1/flags/${own}`, me)).statusCode).toBe(403);
    expect((await call('GET', `/v1/cases/${c.id}`, me)).statusCode).toBe(403);
    expect((await call('GET', '/v1/cases', me)).json().items.map((i: { id: string }) => i.id)).not.toContain(c.id);
    const open = await call('POST', '/v1/cases', me, { title: 'About myself', flagIds: [unitmate] });
    expect(open.statusCode).toBe(403);
    expect(open.json().reasons[0].path).toBe('flagIds.0');
  });

  it('dismisses many flags with one reason, all or none', async () => {
    const a = await insertFlag(t.pool);
    const b = await insertFlag(t.pool);
    const inCase = await insertFlag(t.pool);
    await openCase([inCase]);
    const refused = await call('POST', '/v1/flags/bulk-status', p1, { ids: [a, inCase, b], status: 'dismissed', reason: 'lawful: exempt vehicles' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().reasons).toEqual([{ path: 'ids.1', message: 'the flag is in a case; change it there' }]);
    const unchanged = await t.pool.query('SELECT status FROM flag WHERE id = ANY($1::uuid[])', [[a, b]]);
    expect(unchanged.rows.map((r) => r.status)).toEqual(['new', 'new']);

    const done = await call('POST', '/v1/flags/bulk-status', p1, { ids: [a, b], status: 'dismissed', reason: 'lawful: exempt vehicles' });
    expect(done.json()).toEqual({ updated: 2 });
    const flag = (await call('GET', `/v1/flags/${a}`, p1)).json();
    expect(flag).toMatchObject({ status: 'dismissed', statusReason: 'lawful: exempt vehicles' });
    expect(flag.history.at(-1)).toMatchObject({ from: 'new', to: 'dismissed', actor: `user:${t.users.prosecutor.id}` });
  });

  it('answers the case page in one piece: parts as stored, in order, and a summary of each flag', async () => {
    const first = await insertFlag(t.pool, { evidence: [{ eventId: 'e-1', source: 's', contentHash: 'c', chainHash: 'h' }] });
    const second = await insertFlag(t.pool, { subjectKind: 'officer_vehicle', subjectId: 'OFF-5|777AAA02', unit: null });
    const c = await openCase([first]);
    await call('POST', `/v1/cases/${c.id}/flags`, p1, { flagIds: [second] });
    await call('POST', `/v1/cases/${c.id}/notes`, p2, { text: 'first note' });
    await call('POST', `/v1/cases/${c.id}/attachments`, p1, { name: 'a.txt', mediaType: 'text/plain', contentBase64: Buffer.from('abc').toString('base64') });
    const got = (await call('GET', `/v1/cases/${c.id}`, auditor)).json();
    const note = (await t.pool.query('SELECT id::text, at FROM case_note WHERE case_id = $1', [c.id])).rows[0];
    expect(got.notes).toEqual([{ id: note.id, authorId: `user:${t.users.prosecutor2.id}`, authorName: 'Test prosecutor2', at: note.at.toISOString(), text: 'first note' }]);
    expect(got.attachments).toEqual([expect.objectContaining({ name: 'a.txt', size: 3, mediaType: 'text/plain', addedBy: `user:${t.users.prosecutor.id}` })]);
    const events = (await t.pool.query('SELECT at, action FROM case_event WHERE case_id = $1 ORDER BY id', [c.id])).rows;
    expect(got.timeline.map((e: { at: string; action: string }) => [e.at, e.action])).toEqual(events.map((e) => [e.at.toISOString(), e.action]));
    expect(got.timeline[0]).toMatchObject({ actor: `user:${t.users.prosecutor.id}`, actorName: 'Test prosecutor', details: { title: expect.any(String) } });
    expect(got.flagIds).toEqual([first, second]);
    expect(got.flags).toEqual([
      { id: first, ruleId: 'officer-outlier-rate', scheme: 'officer_outlier_rate', severity: 'high', status: 'in_case', label: null, subjectKind: 'officer', subjectId: expect.any(String), explanation: { text: 'Officer cancelled 38 of 40' }, unit: 'U-1', district: 'Almaly' },
      expect.objectContaining({ id: second, subjectId: 'OFF-5|777AAA02', unit: null }),
    ]);
    // The action answers and the page answer agree on the case.
    const viaAction = (await call('POST', `/v1/cases/${c.id}/status`, p1, { status: 'investigating' })).json();
    expect([viaAction.flags, viaAction.notes, viaAction.attachments, viaAction.timeline.slice(0, -1)]).toEqual([got.flags, got.notes, got.attachments, got.timeline]);
  });

  it('lists cases with the total of every match, whatever the page', async () => {
    for (let i = 0; i < 3; i += 1) await openCase([await insertFlag(t.pool)]);
    const all = (await call('GET', '/v1/cases', p1)).json();
    const page = (await call('GET', '/v1/cases?limit=2', p1)).json();
    expect(page.items).toHaveLength(2);
    expect(page.total).toBe(all.total);
    expect(all.total).toBe(all.items.length);
    expect((await call('GET', `/v1/cases?offset=${all.total + 5}`, p1)).json()).toEqual({ items: [], total: all.total });
  });

  it('records every case action in the chained access log, which verifies', async () => {
    const { rows } = await t.pool.query(`SELECT DISTINCT action FROM access_log WHERE subject_kind = 'case'`);
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['case_opened', 'view_case', 'case_note_added', 'case_attachment_added', 'case_close_requested', 'case_closed', 'case_close_rejected']));
    expect((await new AccessLogVerifier(t.pool).verify()).ok).toBe(true);
  });
});
