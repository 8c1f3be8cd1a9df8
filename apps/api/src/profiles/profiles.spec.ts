import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserRepository } from '@qadaga/db';
import { TEST_PASSWORD, startTestApp, type TestApp } from '../testing/test-app.js';
import { ingest, insertFlag, loadReference, storyEvents, type Story } from './read-fixtures.js';

let t: TestApp;

/** Local (UTC+5) wall-clock time, one hour before or after as needed. */
const local = (day: string, hour = 10) => `${day}T${String(hour).padStart(2, '0')}:00:00+05:00`;

function story(ref: string, officer: string, unit: string, camera: string, plate: string, day: string, decision: Story['decision'], extra: Partial<Story> = {}): Story {
  return { ref, officer, unit, camera, plate, detectedAt: local(day, 9), decidedAt: local(day, 10), decision, ...extra };
}

const STORIES: Story[] = [
  // Decided 01:00 local on 1 March, still 28 February in UTC: it must count in March.
  { ...story('V1', 'OF-1', 'U-1', 'CAM-A', '123 АВС 02', '2026-02-28', 'confirmed'), detectedAt: local('2026-02-28', 23), decidedAt: '2026-03-01T01:00:00+05:00', cancelledAt: local('2026-03-20') },
  story('V2', 'OF-1', 'U-1', 'CAM-A', '123ABC02', '2026-03-03', 'confirmed', { amendedAt: local('2026-03-04') }),
  story('V3', 'OF-1', 'U-1', 'CAM-A', '123ABC02', '2026-03-05', 'confirmed'),
  story('V4', 'OF-1', 'U-1', 'CAM-A', '123 abc 02', '2026-03-06', 'confirmed'),
  story('V5', 'OF-1', 'U-1', 'CAM-A', '123ABC02', '2026-03-07', 'rejected'),
  story('V6', 'OF-1', 'U-1', 'CAM-A', '123ABC02', '2026-03-08', 'rejected'),
  story('V7', 'OF-1', 'U-1', 'CAM-B', '555XYZ01', '2026-04-02', 'confirmed'),
  ...['V8', 'V9', 'V10', 'V11'].map((ref, i) => story(ref, 'OF-2', 'U-1', 'CAM-B', '555XYZ01', `2026-03-1${i}`, 'confirmed')),
  ...['V12', 'V13', 'V14'].map((ref, i) => story(ref, 'OF-3', 'U-1', 'CAM-B', '777KKK02', `2026-03-1${i}`, 'confirmed')),
  story('V15', 'OF-3', 'U-1', 'CAM-B', '777KKK02', '2026-03-15', 'rejected'),
  story('V16', 'OF-9', 'U-2', 'CAM-B', '777KKK02', '2026-03-16', 'confirmed'),
];

const PERIOD = `from=${encodeURIComponent('2026-02-01T00:00:00+05:00')}&to=${encodeURIComponent('2026-05-01T00:00:00+05:00')}`;

const get = (url: string, key: string | null = t.keys.prosecutor) =>
  t.app.inject({ method: 'GET', url, headers: key === null ? {} : { authorization: `Bearer ${key}` } });

async function accessRows(action: string) {
  const { rows } = await t.pool.query<{ principal: string; subject_kind: string; subject_id: string }>(
    'SELECT principal, subject_kind, subject_id FROM access_log WHERE action = $1 ORDER BY id',
    [action],
  );
  return rows;
}

beforeAll(async () => {
  t = await startTestApp();
  await loadReference(t);
  await ingest(t, STORIES.flatMap(storyEvents));
  await insertFlag(t, { subjectKind: 'officer', subjectId: 'OF-1', severity: 'critical', unit: 'U-1' });
  await insertFlag(t, { subjectKind: 'officer', subjectId: 'OF-1', status: 'dismissed' });
  await insertFlag(t, { subjectKind: 'officer', subjectId: 'OF-2' });
  await insertFlag(t, { subjectKind: 'officer_vehicle', subjectId: 'OF-1|123ABC02', severity: 'medium' });
  await insertFlag(t, { subjectKind: 'vehicle', subjectId: '123ABC02' });
  await insertFlag(t, { subjectKind: 'camera', subjectId: 'CAM-A' });
});
afterAll(async () => t.close());

describe('GET /v1/officers/:id/profile', () => {
  it('counts what the officer did per local month, with the rejection-and-cancellation rate', async () => {
    const res = await get(`/v1/officers/OF-1/profile?${PERIOD}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.officer).toEqual({ id: 'OF-1', unit: 'U-1', role: 'reviewer', inRoster: true });
    expect(body.months).toEqual([
      { month: '2026-03', reviews: 6, confirmations: 4, rejections: 2, cancellations: 1, amendments: 1, adverseRate: 0.5 },
      { month: '2026-04', reviews: 1, confirmations: 1, rejections: 0, cancellations: 0, amendments: 0, adverseRate: 0 },
    ]);
  });

  it("sets the officer against the unit's peers (the officer and other units left out)", async () => {
    const body = (await get(`/v1/officers/OF-1/profile?${PERIOD}`)).json();
    // OF-2 rejected none of 4 (0), OF-3 one of 4 (0.25); OF-9 is in another unit.
    expect(body.peers.months).toEqual([{ month: '2026-03', peers: 2, p25: 0.0625, median: 0.125, p75: 0.1875 }]);
    expect(body.peers.latest).toEqual({ month: '2026-03', peerRates: [0, 0.25], officerRate: 0.5 });
  });

  it('lists the violations the officer handled, newest first, and only the open flags about them', async () => {
    const body = (await get(`/v1/officers/OF-1/profile?${PERIOD}`, t.keys.auditor)).json();
    expect(body.recent).toHaveLength(9);
    expect(body.recent[0]).toEqual({ ref: 'V7', plate: '555XYZ01', status: 'confirmed', action: 'confirmed', at: '2026-04-02T05:00:00.000Z' });
    expect(body.recent).toContainEqual({ ref: 'V1', plate: '123 АВС 02', status: 'cancelled', action: 'cancelled', at: '2026-03-20T05:00:00.000Z' });
    expect(body.flags.map((f: { subjectKind: string; subjectId: string }) => `${f.subjectKind}:${f.subjectId}`)).toEqual(['officer:OF-1', 'officer_vehicle:OF-1|123ABC02']);
  });

  it('writes the read to the access log', async () => {
    const before = (await accessRows('view_officer_profile')).length;
    await get(`/v1/officers/OF-3/profile?${PERIOD}`, t.keys.admin);
    const rows = await accessRows('view_officer_profile');
    expect(rows).toHaveLength(before + 1);
    expect(rows.at(-1)).toMatchObject({ subject_kind: 'officer', subject_id: 'OF-3', principal: expect.stringMatching(/^key:/u) });
  });

  it('knows an officer only the ledger has seen, with the unit they signed with', async () => {
    await ingest(t, storyEvents(story('V90', 'OF-77', 'U-1', 'CAM-B', '777KKK02', '2026-03-20', 'rejected')));
    const body = (await get(`/v1/officers/OF-77/profile?${PERIOD}`)).json();
    expect(body.officer).toEqual({ id: 'OF-77', unit: 'U-1', role: null, inRoster: false });
    expect(body.months).toEqual([{ month: '2026-03', reviews: 1, confirmations: 0, rejections: 1, cancellations: 0, amendments: 0, adverseRate: 1 }]);
    // Its peers are the roster's U-1: OF-1 (0.5), OF-2 (0), OF-3 (0.25).
    expect(body.peers.months[0]).toMatchObject({ month: '2026-03', peers: 3, median: 0.25 });
  });

  it('answers 404 for an unknown officer, and names the field of a bad query', async () => {
    expect((await get('/v1/officers/NOBODY/profile')).statusCode).toBe(404);
    const bad = await get('/v1/officers/OF-1/profile?from=yesterday');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().reasons[0].path).toBe('from');
    const reversed = await get(`/v1/officers/OF-1/profile?from=${encodeURIComponent('2026-05-01T00:00:00Z')}&to=${encodeURIComponent('2026-02-01T00:00:00Z')}`);
    expect(reversed.json().reasons[0]).toEqual({ path: 'from', message: 'must be before to' });
    const unknown = await get('/v1/officers/OF-1/profile?unit=U-1');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().reasons[0].message).toMatch(/unit/u);
  });

  it('refuses the officer themselves and anyone of their unit (recusal), and records the attempt', async () => {
    const people = new UserRepository(t.pool);
    await people.create({ username: 'of1', displayName: 'Officer One', password: TEST_PASSWORD, roles: ['prosecutor'], officerId: 'OF-1', unit: 'U-1' });
    await people.create({ username: 'u1', displayName: 'Unit One auditor', password: TEST_PASSWORD, roles: ['auditor'], unit: 'U-1' });
    const signIn = async (username: string) => {
      const res = await t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username, password: TEST_PASSWORD } });
      return { authorization: `Bearer ${res.json<{ token: string }>().token}` };
    };
    const of1 = await signIn('of1');
    const self = await t.app.inject({ method: 'GET', url: '/v1/officers/OF-1/profile', headers: of1 });
    expect(self.statusCode).toBe(403);
    expect(self.json()).toMatchObject({ message: expect.stringMatching(/own profile \(recusal\)/u), reasons: [{ path: 'id' }] });
    const colleague = await t.app.inject({ method: 'GET', url: '/v1/officers/OF-2/profile', headers: await signIn('u1') });
    expect(colleague.statusCode).toBe(403);
    expect(colleague.json().message).toMatch(/own unit \(recusal\)/u);
    // Officers of another unit stay visible to them.
    expect((await t.app.inject({ method: 'GET', url: '/v1/officers/OF-9/profile', headers: of1 })).statusCode).toBe(200);
    const refused = await accessRows('refused_officer_profile');
    expect(refused.map((r) => r.subject_id)).toEqual(['OF-1', 'OF-2']);
  });

  it('is refused to rule authors and to callers without credentials', async () => {
    expect((await get('/v1/officers/OF-1/profile', t.keys.rule_author)).statusCode).toBe(403);
    expect((await get('/v1/officers/OF-1/profile', null)).statusCode).toBe(401);
  });
});

describe('GET /v1/vehicles/:plate/profile', () => {
  it('finds the vehicle however the plate was typed, by month and status', async () => {
    const res = await get('/v1/vehicles/123abc02/profile');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.plate.received).toBe('123abc02');
    expect(body.plate.plateKey).toBe('123ABC02');
    expect(body.plate.seenAs).toEqual(expect.arrayContaining(['123 АВС 02', '123ABC02', '123 abc 02']));
    expect(body.registered).toEqual({ plate: '123ABC02', kind: 'private' });
    expect(body.totals.violations).toBe(6);
    expect(body.totals.byStatus).toMatchObject({ cancelled: 1, rejected: 2 });
    expect(body.months.map((m: { month: string; total: number }) => [m.month, m.total])).toEqual([['2026-02', 1], ['2026-03', 5]]);
  });

  it('shows who cancelled, who handled it, and the open flags about it', async () => {
    const body = (await get('/v1/vehicles/123ABC02/profile', t.keys.auditor)).json();
    expect(body.cancellations).toEqual([
      { ref: 'V1', at: '2026-03-20T05:00:00.000Z', recordedAt: null, officerId: 'OF-1', unit: 'U-1', reasonCode: 'appeal_granted', legalBasis: 'art. 826' },
    ]);
    expect(body.officers).toEqual([{ officerId: 'OF-1', unit: 'U-1', confirmations: 4, rejections: 2, cancellations: 1, amendments: 1 }]);
    expect(body.flags.map((f: { subjectKind: string }) => f.subjectKind).sort()).toEqual(['officer_vehicle', 'vehicle']);
  });

  it('writes the read to the access log before answering, even for a plate nobody knows', async () => {
    const res = await get('/v1/vehicles/999ZZZ99/profile');
    expect(res.statusCode).toBe(404);
    expect(res.json().reasons[0].path).toBe('plate');
    const rows = await accessRows('view_vehicle_profile');
    expect(rows.at(-1)).toMatchObject({ subject_kind: 'plate', subject_id: '999ZZZ99' });
  });

  it('names the plate when it is too long', async () => {
    const res = await get(`/v1/vehicles/${'1'.repeat(21)}/profile`);
    expect(res.statusCode).toBe(400);
    expect(res.json().reasons[0]).toEqual({ path: 'plate', message: 'must be 1-20 characters' });
  });
});

describe('GET /v1/cameras/:id/profile', () => {
  it("counts detections per local week and sets its rejected-or-cancelled share against every camera's median", async () => {
    const res = await get(`/v1/cameras/CAM-A/profile?${PERIOD}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.camera).toEqual({ id: 'CAM-A', district: 'Almaly', lat: 43.2512, lon: 76.9456, inRegister: true });
    expect(body.weeks).toEqual([
      { week: '2026-02-23', detections: 1, rejected: 0, cancelled: 1 },
      { week: '2026-03-02', detections: 5, rejected: 2, cancelled: 0 },
    ]);
    // CAM-A 3 of 6; CAM-B 2 of 11 (V15 and V90): median of the two shares.
    expect(body.adverse).toEqual({ detections: 6, rejected: 2, cancelled: 1, share: 0.5, allCamerasMedian: (0.5 + 2 / 11) / 2, cameras: 2 });
    expect(body.officers).toEqual([{ officerId: 'OF-1', reviews: 6, confirmations: 4, rejections: 2, cancellations: 1 }]);
    expect(body.flags.map((f: { subjectId: string }) => f.subjectId)).toEqual(['CAM-A']);
    const { rows } = await t.pool.query("SELECT subject_kind, details FROM access_log WHERE action = 'view_camera_profile' ORDER BY id DESC LIMIT 1");
    expect(rows[0]).toMatchObject({ subject_kind: 'officer', details: { cameraId: 'CAM-A' } });
  });

  it('answers 404 for an unknown camera and refuses a period of more than three years', async () => {
    expect((await get(`/v1/cameras/CAM-Z/profile?${PERIOD}`)).statusCode).toBe(404);
    const long = await get(`/v1/cameras/CAM-A/profile?from=${encodeURIComponent('2020-01-01T00:00:00Z')}&to=${encodeURIComponent('2026-01-01T00:00:00Z')}`);
    expect(long.statusCode).toBe(400);
    expect(long.json().reasons[0]).toMatchObject({ path: 'from', message: expect.stringMatching(/at most/u) });
  });
});
