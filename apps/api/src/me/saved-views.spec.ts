import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../testing/test-app.js';

let t: TestApp;
let mine: { authorization: string };
let theirs: { authorization: string };

beforeAll(async () => {
  t = await startTestApp();
  mine = await t.signIn('prosecutor');
  theirs = await t.signIn('auditor');
});
afterAll(async () => t.close());

const save = (payload: unknown, headers = mine) => t.app.inject({ method: 'POST', url: '/v1/me/views', headers, payload: payload as Record<string, unknown> });
const list = async (headers = mine) => (await t.app.inject({ method: 'GET', url: '/v1/me/views', headers })).json<{ items: { id: string; name: string; filters: Record<string, string> }[] }>().items;

describe('saved views of the queue', () => {
  it('saves the queue’s filters as the URL writes them, lists them by name, replaces one saved again under its name, and deletes', async () => {
    const a = await save({ name: 'Критичные в Алмалы', filters: { severity: 'critical,high', district: 'Almaly', from: '2026-10-01T00:00:00+05:00' } });
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json()).toMatchObject({ page: 'flags', name: 'Критичные в Алмалы', filters: { severity: 'critical,high', district: 'Almaly', from: '2026-10-01T00:00:00+05:00' } });
    expect((await save({ name: '  all new  ', filters: { status: 'new' } })).json().name).toBe('all new');
    expect((await list()).map((v) => v.name)).toEqual(['all new', 'Критичные в Алмалы']);
    const again = await save({ name: 'all new', filters: { status: 'new,triaged' } });
    expect(again.statusCode).toBe(201);
    const views = await list();
    expect(views).toHaveLength(2);
    expect(views.find((v) => v.name === 'all new')?.filters).toEqual({ status: 'new,triaged' });
    const gone = await t.app.inject({ method: 'DELETE', url: `/v1/me/views/${a.json().id.toUpperCase()}`, headers: mine });
    expect(gone.statusCode).toBe(204);
    expect((await list()).map((v) => v.name)).toEqual(['all new']);
  });

  it('belongs to its owner alone: another person neither sees nor deletes it', async () => {
    const view = (await save({ name: 'mine only', filters: { rule: 'officer-outlier-rate' } })).json<{ id: string }>();
    expect((await list(theirs)).map((v) => v.id)).not.toContain(view.id);
    const refused = await t.app.inject({ method: 'DELETE', url: `/v1/me/views/${view.id}`, headers: theirs });
    expect(refused.statusCode).toBe(404);
    expect(refused.json().reasons[0].path).toBe('id');
    expect((await list()).map((v) => v.id)).toContain(view.id);
    // Each person's names are their own: the same name is no clash.
    expect((await save({ name: 'mine only', filters: {} }, theirs)).statusCode).toBe(201);
    expect((await t.app.inject({ method: 'DELETE', url: '/v1/me/views/not-a-uuid', headers: mine })).statusCode).toBe(400);
    // API keys are nobody: they hold no views.
    expect((await t.app.inject({ method: 'GET', url: '/v1/me/views', headers: { authorization: `Bearer ${t.keys.prosecutor}` } })).statusCode).toBe(403);
  });

  it('refuses filters the queue would refuse, naming the field, and names that are empty or too long', async () => {
    const cases: [unknown, string][] = [
      [{ name: 'bad severity', filters: { severity: 'grave' } }, 'filters.severity'],
      [{ name: 'bad date', filters: { from: 'yesterday' } }, 'filters.from'],
      [{ name: 'paging is no filter', filters: { limit: '50' } }, 'filters.limit'],
      [{ name: 'unknown filter', filters: { colour: 'red' } }, 'filters.colour'],
      [{ name: 'not text', filters: { status: ['new'] } }, 'filters.status'],
      [{ name: '   ', filters: {} }, 'name'],
      [{ name: 'x'.repeat(81), filters: {} }, 'name'],
      [{ name: 'no filters' }, 'filters'],
    ];
    for (const [payload, path] of cases) {
      const res = await save(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(res.json().reasons.map((r: { path: string }) => r.path), JSON.stringify(payload)).toContain(path);
    }
    expect((await save({ name: 'x'.repeat(80), filters: {} })).statusCode).toBe(201);
  });
});
