import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DistrictBoundaryRepository, UserRepository, bundledBoundaries } from '@qadaga/db';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../testing/test-app.js';
import { ingest, loadReference, storyEvents, type Story } from '../profiles/read-fixtures.js';

/**
 * The open flags of the Places page are where their evidence happened, and a district or
 * camera clicked opens exactly the flags counted there: the figures and the queue's rows
 * are compared flag by flag, for an unrecused reader and for one recused from a unit.
 */
let t: TestApp;
const at = (day: string, hour: number) => `${day}T${String(hour).padStart(2, '0')}:00:00+05:00`;
const story = (ref: string, camera: string, officer: string, unit: string, day: string, extra: Partial<Story> = {}): Story => ({
  ref, camera, plate: '555XYZ01', officer, unit, detectedAt: at(day, 9), decision: 'confirmed', decidedAt: at(day, 10), ...extra,
});
const PERIOD = `from=${encodeURIComponent('2026-03-01T00:00:00+05:00')}&to=${encodeURIComponent('2026-04-01T00:00:00+05:00')}`;

/** An evidence item as the rule runner stores it: the event's key and its hashes. */
const evidence = (...eventIds: string[]) => eventIds.map((eventId) => ({ source: 'sergek-almaty', eventId, contentHash: 'c'.repeat(64), chainHash: 'h'.repeat(64) }));

const ids: Record<string, string> = {};
let counter = 0;
async function flag(name: string, f: { subjectKind: string; subjectId: string; status?: string; unit?: string; district?: string; facts?: Record<string, unknown>; evidence: unknown[] }): Promise<void> {
  counter += 1;
  const { rows } = await t.pool.query<{ id: string }>(
    `INSERT INTO flag (id, rule_id, rule_version, scheme, subject_kind, subject_id, status, severity, score, explanation, facts, baseline, evidence, unit, district, window_from, window_to)
     VALUES (gen_random_uuid(), $1, 1, 'officer_outlier_rate', $2, $3, $4, 'high', $5, '{"en": "test flag"}', $6, '{}', $7, $8, $9, '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z')
     RETURNING id`,
    [`places-rule-${counter}`, f.subjectKind, f.subjectId, f.status ?? 'new', counter, JSON.stringify(f.facts ?? {}), JSON.stringify(f.evidence), f.unit ?? null, f.district ?? null],
  );
  ids[name] = rows[0]?.id ?? '';
}

const headersOf = (key: string) => ({ authorization: `Bearer ${key}` });
const places = async (headers: Record<string, string>) => {
  const res = await t.app.inject({ method: 'GET', url: `/v1/places?${PERIOD}`, headers });
  expect(res.statusCode).toBe(200);
  return res.json<{ city: { openFlags: number }; districts: { district: string; openFlags: number }[]; cameras: { cameraId: string; openFlags: number }[] }>();
};
/** The queue as the workbench opens it from the map: the default status, new and triaged. */
const queue = async (filter: string, headers: Record<string, string>) => {
  const res = await t.app.inject({ method: 'GET', url: `/v1/flags?status=new,triaged&limit=500&${filter}`, headers });
  expect(res.statusCode).toBe(200);
  const body = res.json<{ total: number; flags: { id: string }[] }>();
  expect(body.total).toBe(body.flags.length);
  return body.flags.map((f) => f.id).sort();
};
const named = (...names: string[]) => names.map((n) => ids[n]).sort();
const openFlagsOf = (view: Awaited<ReturnType<typeof places>>) => ({
  city: view.city.openFlags,
  districts: Object.fromEntries(view.districts.map((d) => [d.district, d.openFlags])),
  cameras: Object.fromEntries(view.cameras.map((c) => [c.cameraId, c.openFlags])),
});

let recused: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestApp();
  await loadReference(t);
  await new DistrictBoundaryRepository(t.pool).replace(bundledBoundaries());
  await ingest(t, [
    // Almaly, at CAM-A: two violations, one cancelled; decided by OF-2 of U-1 and OF-9 of U-2.
    ...storyEvents(story('Q1', 'CAM-A', 'OF-2', 'U-1', '2026-03-02', { cancelledAt: at('2026-03-09', 10) })),
    ...storyEvents(story('Q2', 'CAM-A', 'OF-9', 'U-2', '2026-03-03')),
  ]);
  // Medeu, at a camera known only from what it reports (Kok-Tobe), decided by OF-2.
  await ingest(t, [
    { source: 'sergek-almaty', eventId: 'M1-d', violationRef: 'M1', type: 'detected', occurredAt: at('2026-03-07', 9), actor: { kind: 'camera', id: 'CAM-M' },
      payload: { plate: '777AAA02', cameraId: 'CAM-M', place: { lat: 43.2306, lon: 76.9766, district: 'Medeu' }, article: '592.1', speed: 87, speedLimit: 60 } },
    { source: 'sergek-almaty', eventId: 'M1-r', violationRef: 'M1', type: 'confirmed', occurredAt: at('2026-03-07', 10), actor: { kind: 'officer', id: 'OF-2', unit: 'U-1' }, payload: {} },
  ]);
  // As the rule runner stores them: a violation's flag names its district and camera; the others only their evidence.
  await flag('violation', { subjectKind: 'violation', subjectId: 'Q1', district: 'Almaly', facts: { district: 'Almaly', cameraId: 'CAM-A' }, evidence: evidence('Q1-d', 'Q1-r', 'Q1-x') });
  await flag('officerTwoDistricts', { subjectKind: 'officer', subjectId: 'OF-2', unit: 'U-1', evidence: evidence('Q1-r', 'Q1-x', 'M1-r') });
  await flag('otherOfficer', { subjectKind: 'officer', subjectId: 'OF-9', unit: 'U-2', status: 'triaged', evidence: evidence('Q2-r') });
  await flag('unit', { subjectKind: 'unit', subjectId: 'U-2', unit: 'U-2', evidence: evidence('M1-d') });
  // Done with: dismissed, or taken into a case.
  await flag('dismissed', { subjectKind: 'officer', subjectId: 'OF-3', unit: 'U-1', status: 'dismissed', evidence: evidence('Q2-r', 'M1-r') });
  await flag('inCase', { subjectKind: 'vehicle', subjectId: '555XYZ01', status: 'in_case', evidence: evidence('Q1-d', 'M1-d') });

  const people = new UserRepository(t.pool);
  await people.create({ username: 'places-u1', displayName: 'U-1 member', password: TEST_PASSWORD, roles: ['prosecutor'], unit: 'U-1' });
  const login = await t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'places-u1', password: TEST_PASSWORD } });
  recused = headersOf(login.json<{ token: string }>().token);
});
afterAll(async () => t.close());

describe('open flags on the Places page', () => {
  it("counts a violation's flag in its district and at its camera, an officer's flag once in each district of its evidence, and no dismissed or closed flag", async () => {
    expect(openFlagsOf(await places(headersOf(t.keys.prosecutor)))).toEqual({
      // Four open flags; the officer's counts in both districts, so the districts add up to more.
      city: 4,
      districts: { almaly: 3, medeu: 2 },
      cameras: { 'CAM-A': 3, 'CAM-M': 2 },
    });
  });

  it('opens, for a district or a camera, exactly the flags it counted there', async () => {
    const headers = headersOf(t.keys.prosecutor);
    const view = await places(headers);
    expect(await queue('district=almaly', headers)).toEqual(named('violation', 'officerTwoDistricts', 'otherOfficer'));
    expect(await queue('district=medeu', headers)).toEqual(named('officerTwoDistricts', 'unit'));
    expect(await queue('camera=CAM-A', headers)).toEqual(named('violation', 'officerTwoDistricts', 'otherOfficer'));
    expect(await queue('camera=CAM-M', headers)).toEqual(named('officerTwoDistricts', 'unit'));
    for (const d of view.districts) expect((await queue(`district=${d.district}`, headers)).length, d.district).toBe(d.openFlags);
    for (const c of view.cameras) expect((await queue(`camera=${c.cameraId}`, headers)).length, c.cameraId).toBe(c.openFlags);
    // A source's own spelling of the district opens the same flags as the boundary's id.
    expect(await queue('district=Almaly', headers)).toEqual(await queue('district=almaly', headers));
    // The queue's reads are recorded as every read of flags is; the counts name nobody and are not.
    const { rows } = await t.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM access_log WHERE action = 'list_flags'`);
    expect(rows[0]?.n).toBeGreaterThanOrEqual(4);
  });

  it("leaves out, for a reader recused from a unit, the flags the queue hides from them, and the queue agrees", async () => {
    const view = await places(recused);
    // OF-2's flag (unit U-1) is hidden; the violation's flag, OF-9's and U-2's are not.
    expect(openFlagsOf(view)).toEqual({ city: 3, districts: { almaly: 2, medeu: 1 }, cameras: { 'CAM-A': 2, 'CAM-M': 1 } });
    expect(await queue('district=almaly', recused)).toEqual(named('violation', 'otherOfficer'));
    expect(await queue('district=medeu', recused)).toEqual(named('unit'));
    expect(await queue('camera=CAM-M', recused)).toEqual(named('unit'));
  });

  it('names the field of a camera filter too long', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/v1/flags?camera=${'C'.repeat(129)}`, headers: headersOf(t.keys.prosecutor) });
    expect(res.statusCode).toBe(400);
    expect(res.json().reasons[0].path).toBe('camera');
  });
});
