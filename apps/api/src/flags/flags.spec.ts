import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DistrictBoundaryRepository, FlagRepository, UserRepository, bundledBoundaries } from '@qadaga/db';
import { inPriorityOrder, type Severity } from '@qadaga/domain';
import { TEST_PASSWORD, detection, insertFlag, startTestApp, type TestApp } from '../testing/test-app.js';

let t: TestApp;
let reader: { authorization: string };

beforeAll(async () => {
  t = await startTestApp();
  reader = await t.signIn('prosecutor');
});
afterAll(async () => t.close());

const get = (url: string) => t.app.inject({ method: 'GET', url, headers: reader });
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/u;

describe('flag list and flag page', () => {
  it('counts the matches exactly below the bound and says so, also on a page past the end', async () => {
    for (let i = 0; i < 3; i += 1) await insertFlag(t.pool, { ruleId: 'exact-count' });
    const first = (await get('/v1/flags?rule=exact-count&limit=2')).json();
    expect(first).toMatchObject({ total: 3, totalExact: true });
    expect(first.flags).toHaveLength(2);
    const past = (await get('/v1/flags?rule=exact-count&offset=10')).json();
    expect(past).toEqual({ total: 3, totalExact: true, bySeverity: { critical: 0, high: 3, medium: 0, low: 0 }, flags: [] });
    expect((await get('/v1/flags?rule=no-such-rule')).json()).toEqual({ total: 0, totalExact: true, bySeverity: { critical: 0, high: 0, medium: 0, low: 0 }, flags: [] });
    // Each severity is counted under the other filters, the severity filter aside.
    expect((await get('/v1/flags?rule=exact-count&severity=low')).json()).toMatchObject({ total: 0, bySeverity: { high: 3, low: 0 } });
  });

  it('finds the flags of a district by the id the map gives it, or by any spelling a source wrote', async () => {
    await new DistrictBoundaryRepository(t.pool).replace(bundledBoundaries());
    // insertFlag's flags lie in "Almaly", as the simulated register spells it.
    for (let i = 0; i < 2; i += 1) await insertFlag(t.pool, { ruleId: 'district-filter' });
    const total = async (district: string) => (await get(`/v1/flags?rule=district-filter&district=${encodeURIComponent(district)}`)).json<{ total: number }>().total;
    expect(await total('almaly')).toBe(2);
    expect(await total('Almaly')).toBe(2);
    expect(await total('Алмалинский район')).toBe(0);
    expect(await total('medeu')).toBe(0);
  });

  it('above the bound says only "at least one more than the bound", never a guess, and still gives the whole page', async () => {
    for (let i = 0; i < 6; i += 1) await insertFlag(t.pool, { ruleId: 'estimated-count', severity: i % 2 === 0 ? 'critical' : 'low' });
    // Statistics that lie, as after a bulk load the planner has not seen: a guess from them would be far off.
    await t.pool.query('ANALYZE flag');
    for (let i = 0; i < 40; i += 1) await insertFlag(t.pool, { ruleId: 'other-rule' });
    const flags = new FlagRepository(t.pool, { exactCountUpTo: 4 });
    const page = await flags.list({ ruleId: 'estimated-count', limit: 5 });
    expect(page.totalExact).toBe(false);
    // A lower bound: at least 5 match. It is true whatever the statistics say.
    expect(page.total).toBe(5);
    expect(page.flags).toHaveLength(5);
    // Most severe first, as without the bound.
    expect(page.flags.slice(0, 3).map((f) => f.severity)).toEqual(['critical', 'critical', 'critical']);
    expect(await flags.list({ ruleId: 'estimated-count', limit: 5, offset: 5 })).toMatchObject({ total: 5, totalExact: false, flags: [expect.objectContaining({ severity: 'low' })] });
    // A narrower filter under the bound is exact again.
    expect(await flags.list({ ruleId: 'estimated-count', severity: ['critical'] })).toMatchObject({ total: 3, totalExact: true });
  });

  it('orders by priority, every page as the domain orders the whole queue: each severity its share, strongest first', async () => {
    // 12 high flags and 2 low ones: severity first would show no low or medium flag among the first 10.
    const severities: Severity[] = [...Array<Severity>(12).fill('high'), 'low', 'low', 'critical', 'medium', 'medium'];
    for (const [i, severity] of severities.entries()) await insertFlag(t.pool, { ruleId: 'priority-order', severity, score: ((i * 7) % 11) + 0.5 });
    const pages: { id: string; severity: Severity; score: number }[] = [];
    for (let offset = 0; offset < severities.length; offset += 5) pages.push(...(await get(`/v1/flags?rule=priority-order&limit=5&offset=${offset}`)).json().flags);
    const all = (await get('/v1/flags?rule=priority-order&limit=100')).json().flags as typeof pages;
    expect(pages.map((f) => f.id)).toEqual(inPriorityOrder(all).map((f) => f.id));
    expect(new Set(pages.slice(0, 10).map((f) => f.severity))).toEqual(new Set(['critical', 'high', 'medium', 'low']));
    // Within a severity the stronger evidence comes first.
    const highs = pages.filter((f) => f.severity === 'high').map((f) => f.score);
    expect(highs).toEqual([...highs].sort((a, b) => b - a));
    // Asked for, the old order: most severe first.
    const bySeverity = (await get('/v1/flags?rule=priority-order&limit=100&order=severity')).json().flags as typeof pages;
    expect(bySeverity.map((f) => f.severity)).toEqual(['critical', ...Array(12).fill('high'), 'medium', 'medium', 'low', 'low']);
    expect((await get('/v1/flags?rule=priority-order&order=newest')).statusCode).toBe(400);
  });

  it('still writes the list read to the access log before answering', async () => {
    await get('/v1/flags?rule=logged-list');
    const { rows } = await t.pool.query(`SELECT principal, details FROM access_log WHERE action = 'list_flags' AND details->>'rule' = 'logged-list'`);
    expect(rows).toEqual([{ principal: `user:${t.users.prosecutor.id}`, details: { rule: 'logged-list' } }]);
  });

  it('answers one flag with its whole history in order, times as the history endpoint wrote them', async () => {
    const id = await insertFlag(t.pool);
    const p = await t.signIn('prosecutor2');
    for (const [status, reason] of [['triaged', 'looked at the appeal'], ['new', 'reopened after a call']] as const) {
      expect((await t.app.inject({ method: 'POST', url: `/v1/flags/${id}/status`, headers: p, payload: { status, reason } })).statusCode).toBe(200);
    }
    const flag = (await get(`/v1/flags/${id}`)).json();
    expect(flag.history.map((h: { to: string; reason: string }) => [h.to, h.reason])).toEqual([['triaged', 'looked at the appeal'], ['new', 'reopened after a call']]);
    expect(flag.history.every((h: { at: string }) => ISO.test(h.at))).toBe(true);
    expect(flag.history).toEqual(await new FlagRepository(t.pool).history(id));
    expect(flag).toMatchObject({ id, status: 'new', facts: { cancelled: 38, detections: 40 } });
  });

  it('answers a flag with no history with an empty one', async () => {
    const id = await insertFlag(t.pool);
    expect((await get(`/v1/flags/${id}`)).json().history).toEqual([]);
  });

  it('names each evidence event by violation, type, time and actor, leaving out steps by an officer the reader is recused from', async () => {
    const camera = detection({ eventId: 'ev-det-1', violationRef: 'V-EVID-1' });
    const cancel = {
      ...detection({ eventId: 'ev-cancel-1', violationRef: 'V-EVID-1' }),
      type: 'cancelled',
      occurredAt: '2026-03-02T05:00:00Z',
      actor: { kind: 'officer', id: 'OF-EVID', unit: 'U-EVID' },
      payload: { reasonCode: 'other' },
    };
    const ingested = await t.app.inject({ method: 'POST', url: '/v1/events/batch', headers: { authorization: `Bearer ${t.keys.source}` }, payload: [camera, cancel] });
    expect(ingested.json().summary.accepted).toBe(2);
    const { rows } = await t.pool.query<{ source: string; event_id: string; content_hash: string; chain_hash: string }>(
      `SELECT source, event_id, content_hash, chain_hash FROM ledger_event WHERE violation_ref = 'V-EVID-1' ORDER BY occurred_at`,
    );
    const evidence = rows.map((r) => ({ source: r.source, eventId: r.event_id, contentHash: r.content_hash, chainHash: r.chain_hash }));
    const id = await insertFlag(t.pool, { subjectKind: 'violation', subjectId: 'V-EVID-1', unit: null, evidence });

    const flag = (await get(`/v1/flags/${id}`)).json();
    expect(flag.evidenceEvents).toEqual([
      { source: 'sergek-almaty', eventId: 'ev-det-1', violationRef: 'V-EVID-1', type: 'detected', occurredAt: expect.stringMatching(ISO), actor: { kind: 'camera', id: 'CAM-7', unit: null } },
      { source: 'sergek-almaty', eventId: 'ev-cancel-1', violationRef: 'V-EVID-1', type: 'cancelled', occurredAt: '2026-03-02T05:00:00.000Z', actor: { kind: 'officer', id: 'OF-EVID', unit: 'U-EVID' } },
    ]);

    await new UserRepository(t.pool).create({ username: 'recused-evid', displayName: 'Recused', password: TEST_PASSWORD, roles: ['prosecutor'], officerId: 'OF-EVID', unit: 'U-EVID' });
    const login = await t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'recused-evid', password: TEST_PASSWORD } });
    const recused = (await t.app.inject({ method: 'GET', url: `/v1/flags/${id}`, headers: { authorization: `Bearer ${login.json().token}` } })).json();
    expect(recused.evidenceEvents.map((e: { eventId: string }) => e.eventId)).toEqual(['ev-det-1']);
    expect(JSON.stringify(recused.evidenceEvents)).not.toContain('OF-EVID');
  });
});
