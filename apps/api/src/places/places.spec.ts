import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../testing/test-app.js';
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
  await ingest(t, [
    // Three in Almaly, one of them cancelled; two in Bostandyq; one in February, outside the period.
    ...storyEvents(story('P1', 'CAM-A', '2026-03-02', { cancelledAt: at('2026-03-09', 10) })),
    ...storyEvents(story('P2', 'CAM-A', '2026-03-03')),
    ...storyEvents(story('P3', 'CAM-A', '2026-03-04')),
    ...storyEvents(story('P4', 'CAM-B', '2026-03-05')),
    ...storyEvents(story('P5', 'CAM-B', '2026-03-06', { decision: 'rejected' })),
    ...storyEvents(story('P6', 'CAM-B', '2026-02-10')),
  ].flat());
  await insertFlag(t, { subjectKind: 'officer', subjectId: 'OF-2', district: 'Almaly' });
  await insertFlag(t, { subjectKind: 'officer', subjectId: 'OF-3', district: 'Almaly', status: 'dismissed' });
});
afterAll(async () => t.close());

describe('GET /v1/places', () => {
  it('counts violations, cancellations and open flags per district over the period', async () => {
    const res = await get(`/v1/places?${PERIOD}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().districts).toEqual([
      { district: 'Almaly', violations: 3, cancellations: 1, openFlags: 1 },
      { district: 'Bostandyq', violations: 2, cancellations: 0, openFlags: 0 },
    ]);
  });

  it("aggregates the cameras' reported coordinates into grid cells, centres rounded to the cell", async () => {
    const body = (await get(`/v1/places?${PERIOD}`)).json();
    expect(body.grid.cellDegrees).toBe(0.005);
    // 43.2512 / 0.005 = 8650.24 -> cell 8650, centre 43.2525; 76.9456 -> 15389, centre 76.9475.
    expect(body.grid.cells).toEqual([
      { lat: 43.2025, lon: 76.8925, violations: 2, cancellations: 0 },
      { lat: 43.2525, lon: 76.9475, violations: 3, cancellations: 1 },
    ]);
  });

  it('narrows everything to one district', async () => {
    const body = (await get(`/v1/places?${PERIOD}&district=Bostandyq`, t.keys.prosecutor)).json();
    expect(body.district).toBe('Bostandyq');
    expect(body.districts).toEqual([{ district: 'Bostandyq', violations: 2, cancellations: 0, openFlags: 0 }]);
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
