import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DistrictBoundaryRepository, UserRepository, bundledBoundaries } from '@qadaga/db';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../testing/test-app.js';
import { ingest, insertFlag, loadReference, storyEvents, type Story } from '../profiles/read-fixtures.js';

let t: TestApp;
const at = (day: string, hour: number) => `${day}T${String(hour).padStart(2, '0')}:00:00+05:00`;
const story = (ref: string, camera: string, day: string, extra: Partial<Story> = {}): Story => ({
  ref, camera, plate: '555XYZ01', officer: 'OF-2', unit: 'U-1', detectedAt: at(day, 9), decision: 'confirmed', decidedAt: at(day, 10), ...extra,
});

const PERIOD = `from=${encodeURIComponent('2026-03-01T00:00:00+05:00')}&to=${encodeURIComponent('2026-04-01T00:00:00+05:00')}`;
const get = (url: string, key = t.keys.auditor) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } });

beforeAll(async () => {
  t = await startTestApp();
  await loadReference(t);
  await new DistrictBoundaryRepository(t.pool).replace(bundledBoundaries());
  await ingest(t, [
    // Three in Almaly, one of them cancelled; two in Bostandyq; one in February, outside the period.
    ...storyEvents(story('P1', 'CAM-A', '2026-03-02', { cancelledAt: at('2026-03-09', 10) })),
    ...storyEvents(story('P2', 'CAM-A', '2026-03-03')),
    ...storyEvents(story('P3', 'CAM-A', '2026-03-04')),
    ...storyEvents(story('P4', 'CAM-B', '2026-03-05')),
    ...storyEvents(story('P5', 'CAM-B', '2026-03-06', { decision: 'rejected' })),
    ...storyEvents(story('P6', 'CAM-B', '2026-02-10')),
  ].flat());
  // A camera outside the register that reports coordinates only (Kok-Tobe, in Medeu), reviewed by another unit.
  await ingest(t, [
    { source: 'sergek-almaty', eventId: 'P7-d', violationRef: 'P7', type: 'detected', occurredAt: at('2026-03-07', 9), actor: { kind: 'camera', id: 'CAM-Z' },
      payload: { plate: '777AAA02', cameraId: 'CAM-Z', place: { lat: 43.2306, lon: 76.9766 }, article: '592.1', speed: 87, speedLimit: 60 } },
    { source: 'sergek-almaty', eventId: 'P7-r', violationRef: 'P7', type: 'confirmed', occurredAt: at('2026-03-07', 10), actor: { kind: 'officer', id: 'OF-9', unit: 'U-2' }, payload: {} },
  ]);
  await insertFlag(t, { subjectKind: 'camera', subjectId: 'CAM-A', district: 'Almaly' });
  await insertFlag(t, { subjectKind: 'officer', subjectId: 'OF-2', district: 'Almaly' });
  await insertFlag(t, { subjectKind: 'officer', subjectId: 'OF-3', district: 'Almaly', status: 'dismissed' });
});
afterAll(async () => t.close());

describe('GET /v1/places', () => {
  it('counts violations, cancellations, their rate and open flags per district (by boundary id) and per camera, against the city', async () => {
    const res = await get(`/v1/places?${PERIOD}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.city).toEqual({ violations: 6, cancellations: 1, cancellationRate: 1 / 6, openFlags: 2 });
    // "Bostandyq" is no boundary's spelling: CAM-B's position places it; CAM-Z's detection coordinates place it in Medeu.
    expect(body.districts).toEqual([
      { district: 'almaly', name: expect.objectContaining({ en: expect.stringMatching(/Almaly/u) }), violations: 3, cancellations: 1, cancellationRate: 1 / 3, openFlags: 2 },
      { district: 'bostandyk', name: expect.objectContaining({ en: expect.stringMatching(/Bostandyk/u) }), violations: 2, cancellations: 0, cancellationRate: 0, openFlags: 0 },
      { district: 'medeu', name: expect.objectContaining({ en: expect.stringMatching(/Medeu/u) }), violations: 1, cancellations: 0, cancellationRate: 0, openFlags: 0 },
    ]);
    expect(body.cameras).toEqual([
      { cameraId: 'CAM-A', district: 'almaly', position: { lat: 43.2512, lon: 76.9456 }, violations: 3, cancellations: 1, cancellationRate: 1 / 3, openFlags: 1 },
      { cameraId: 'CAM-B', district: 'bostandyk', position: { lat: 43.2031, lon: 76.8912 }, violations: 2, cancellations: 0, cancellationRate: 0, openFlags: 0 },
      { cameraId: 'CAM-Z', district: 'medeu', position: { lat: 43.2306, lon: 76.9766 }, violations: 1, cancellations: 0, cancellationRate: 0, openFlags: 0 },
    ]);
  });

  it("aggregates the cameras' reported coordinates into grid cells, centres rounded to the cell", async () => {
    const body = (await get(`/v1/places?${PERIOD}`)).json();
    expect(body.grid.cellDegrees).toBe(0.005);
    // 43.2512 / 0.005 = 8650.24 -> cell 8650, centre 43.2525; 76.9456 -> 15389, centre 76.9475.
    expect(body.grid.cells).toEqual([
      { lat: 43.2025, lon: 76.8925, violations: 2, cancellations: 0 },
      { lat: 43.2325, lon: 76.9775, violations: 1, cancellations: 0 },
      { lat: 43.2525, lon: 76.9475, violations: 3, cancellations: 1 },
    ]);
  });

  it('narrows the lists to one district, keeping the city to compare with', async () => {
    const body = (await get(`/v1/places?${PERIOD}&district=bostandyk`, t.keys.prosecutor)).json();
    expect(body.district).toBe('bostandyk');
    expect(body.city.violations).toBe(6);
    expect(body.districts.map((d: { district: string }) => d.district)).toEqual(['bostandyk']);
    expect(body.cameras.map((c: { cameraId: string }) => c.cameraId)).toEqual(['CAM-B']);
    expect(body.grid.cells).toEqual([{ lat: 43.2025, lon: 76.8925, violations: 2, cancellations: 0 }]);
  });

  it('names the field of a bad query, and is not for rule authors', async () => {
    const bad = await get('/v1/places?to=tomorrow');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().reasons[0].path).toBe('to');
    const empty = await get('/v1/places?district=');
    expect(empty.json().reasons[0].path).toBe('district');
    expect((await get('/v1/places', t.keys.rule_author)).statusCode).toBe(403);
  });
});

describe('GET /v1/officers/{id}/places and /v1/units/{id}/places', () => {
  it("places an officer's actions by district and on the grid, and records the read", async () => {
    const res = await get(`/v1/officers/OF-2/places?${PERIOD}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    // OF-2 confirmed P1-P4, rejected P5 and cancelled P1 in March.
    expect(body).toMatchObject({ subject: { kind: 'officer', id: 'OF-2' }, actions: 6, located: 6 });
    expect(body.districts.map((d: { district: string; actions: number; cancellations: number }) => [d.district, d.actions, d.cancellations])).toEqual([['almaly', 4, 1], ['bostandyk', 2, 0]]);
    expect(body.grid.cells).toEqual([{ lat: 43.2025, lon: 76.8925, actions: 2, cancellations: 0 }, { lat: 43.2525, lon: 76.9475, actions: 4, cancellations: 1 }]);
    const { rows } = await t.pool.query(`SELECT action, subject_kind, subject_id FROM access_log WHERE action = 'view_officer_places'`);
    expect(rows).toEqual([{ action: 'view_officer_places', subject_kind: 'officer', subject_id: 'OF-2' }]);
  });

  it("places a unit's actions, and records the read", async () => {
    const body = (await get(`/v1/units/U-2/places?${PERIOD}`, t.keys.prosecutor)).json();
    expect(body).toMatchObject({ subject: { kind: 'unit', id: 'U-2' }, actions: 1, located: 1, districts: [{ district: 'medeu', actions: 1, cancellations: 0 }] });
    const { rows } = await t.pool.query(`SELECT subject_id FROM access_log WHERE action = 'view_unit_places'`);
    expect(rows).toEqual([{ subject_id: 'U-2' }]);
  });

  it('refuses the officer and their unit, recording the refusal', async () => {
    const people = new UserRepository(t.pool);
    await people.create({ username: 'places-self', displayName: 'OF-2 themself', password: TEST_PASSWORD, roles: ['prosecutor'], officerId: 'OF-2' });
    const login = await t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'places-self', password: TEST_PASSWORD } });
    const headers = { authorization: `Bearer ${login.json<{ token: string }>().token}` };
    const own = await t.app.inject({ method: 'GET', url: '/v1/officers/OF-2/places', headers });
    expect(own.statusCode).toBe(403);
    expect(own.json().reasons[0]).toEqual({ path: 'id', message: 'you cannot view your own places (recusal)' });
    // Linked to the unit: every officer of it is refused.
    await people.create({ username: 'places-unit', displayName: 'U-1 member', password: TEST_PASSWORD, roles: ['auditor'], unit: 'U-1' });
    const member = await t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'places-unit', password: TEST_PASSWORD } });
    const peer = await t.app.inject({ method: 'GET', url: '/v1/officers/OF-3/places', headers: { authorization: `Bearer ${member.json<{ token: string }>().token}` } });
    expect(peer.statusCode).toBe(403);
    // Linked to OF-2 alone: OF-2's unit, as the roster has it, is refused too.
    const unit = await t.app.inject({ method: 'GET', url: '/v1/units/U-1/places', headers });
    expect(unit.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/v1/units/U-2/places', headers })).statusCode).toBe(200);
    const { rows } = await t.pool.query(`SELECT action, subject_id, reason FROM access_log WHERE action LIKE 'refused_%_places' ORDER BY id`);
    expect(rows).toEqual([
      { action: 'refused_officer_places', subject_id: 'OF-2', reason: 'recusal' },
      { action: 'refused_officer_places', subject_id: 'OF-3', reason: 'recusal' },
      { action: 'refused_unit_places', subject_id: 'U-1', reason: 'recusal' },
    ]);
  });

  it('answers 404 for an officer or unit no one knows, and names a bad period', async () => {
    expect((await get('/v1/officers/OF-404/places')).statusCode).toBe(404);
    expect((await get('/v1/units/U-404/places')).statusCode).toBe(404);
    const bad = await get('/v1/officers/OF-2/places?from=yesterday');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().reasons[0].path).toBe('from');
  });
});
