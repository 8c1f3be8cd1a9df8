import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DistrictBoundaryRepository, ReferenceRepository, bundledBoundaries } from '@qadaga/db';
import { attackPublicFigures, ratesWithWithheldCounts } from '@qadaga/db/testing';
import { IngestPipeline, LedgerWriter, ingestStream } from '@qadaga/ledger';
import { simulateCity } from '@qadaga/simulator';
import type { PublicStats } from '@qadaga/contracts/api';
import { startTestApp, type TestApp } from '../testing/test-app.js';

let t: TestApp;
const QUARTER = '2026-Q3';
const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

beforeAll(async () => {
  // Answers are reused for one second here, so a fresh one can be awaited.
  t = await startTestApp({ PUBLIC_STATS_CACHE_SECONDS: '1' });
  await new DistrictBoundaryRepository(t.pool).replace(bundledBoundaries());
  // A demo-like quarter: the simulated city's cameras over Almaty's districts, ISO weeks 27-39 of 2026.
  const city = simulateCity({ seed: 19, violations: 3_000, months: 3, end: '2026-09-27T19:00:00Z' });
  await new ReferenceRepository(t.pool).load(city.reference);
  await ingestStream(new IngestPipeline(new LedgerWriter(t.pool)), city.events());
}, 300_000);
afterAll(async () => t.close());

describe('GET /v1/public/districts', () => {
  it('answers the boundaries as GeoJSON without credentials, with names in three languages and the OpenStreetMap credit', async () => {
    const res = await get('/v1/public/districts');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.type).toBe('FeatureCollection');
    expect(body.features.map((f: { id: string }) => f.id)).toEqual(['alatau', 'almaly', 'auezov', 'bostandyk', 'medeu', 'nauryzbay', 'turksib', 'zhetysu']);
    expect(body.features[1].properties.name).toEqual({ ru: expect.stringMatching(/Алмалин/u), kk: expect.any(String), en: expect.stringMatching(/Almaly/u) });
    expect(body.features[1].geometry.type).toBe('Polygon');
    expect(body.attribution).toMatch(/© OpenStreetMap contributors/u);
    expect(body.attributionUrl).toBe('https://www.openstreetmap.org/copyright');
    expect(body.licence).toMatch(/ODbL/u);
  });

  it('sends an ETag and a max-age of at most a minute, and 304 to a reader holding it', async () => {
    const first = await get('/v1/public/districts');
    expect(first.headers['cache-control']).toBe('public, max-age=60');
    const etag = String(first.headers['etag']);
    const again = await get('/v1/public/districts', { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers['etag']).toBe(etag);
  });
});

describe('GET /v1/public/stats', () => {
  let stats: PublicStats;
  let csv: string;
  let geojson: Record<string, unknown>;
  beforeAll(async () => {
    stats = (await get(`/v1/public/stats?quarter=${QUARTER}`)).json();
    csv = (await get(`/v1/public/stats.csv?quarter=${QUARTER}`)).body;
    geojson = (await get(`/v1/public/stats.geojson?quarter=${QUARTER}`)).json();
  });

  it('covers the whole ISO weeks of the quarter, every simulated district under its boundary id, naming no plate and no officer', async () => {
    expect(stats.quarter).toBe(QUARTER);
    expect(stats.period).toEqual({ from: '2026-06-28T19:00:00.000Z', to: '2026-09-27T19:00:00.000Z', timeZone: 'Asia/Almaty' });
    expect(stats.weeks).toHaveLength(13);
    expect(stats.quarters[0]).toBe(QUARTER);
    expect(stats.districts.map((d) => d.district)).toEqual(['alatau', 'almaly', 'auezov', 'bostandyk', 'medeu', 'nauryzbay', 'turksib', 'zhetysu']);
    expect(stats.cameras.length).toBeGreaterThan(100);
    expect(stats.cameras.every((c) => c.position !== null && stats.districts.some((d) => d.district === c.district))).toBe(true);
    const inQuarter = await t.pool.query<{ n: string }>(`SELECT count(*) AS n FROM violation WHERE detected_at >= $1 AND detected_at < $2`, [stats.period.from, stats.period.to]);
    expect(stats.city.total.detections).toBe(Number(inQuarter.rows[0]!.n));
    const { rows } = await t.pool.query<{ plate: string; officer: string }>(`SELECT plate, unnest(officer_ids) AS officer FROM violation WHERE plate IS NOT NULL LIMIT 50`);
    const everything = JSON.stringify(stats) + csv + JSON.stringify(geojson);
    for (const r of rows) {
      expect(everything).not.toContain(r.plate);
      expect(everything).not.toContain(`"${r.officer}"`);
    }
    expect(stats.method.ruleVersions).toEqual([]);
    expect(stats.method.sources.covered.length).toBeGreaterThan(0);
    expect(stats.attribution).toMatch(/OpenStreetMap/u);
  });

  it('publishes no count under the minimum, anywhere, and no rate beside a withheld count', () => {
    const figures = [stats.city, ...stats.districts, ...stats.cameras].flatMap((s) => [s.total, ...s.weeks]);
    for (const f of figures) for (const v of [f.detections, f.violations, f.cancellations]) if (v !== null) expect(v).toBeGreaterThanOrEqual(10);
    expect(ratesWithWithheldCounts(stats)).toEqual([]);
    // The city's trend is there to read: every week's detections are shown.
    expect(stats.city.weeks.every((w) => w.detections !== null && w.detections >= 10)).toBe(true);
  });

  it('lets an attacker holding the JSON, the CSV and the GeoJSON work out no withheld count', async () => {
    const { rows } = await t.pool.query<{ n: string }>(`SELECT count(*) AS n FROM violation WHERE camera_id IS NULL`);
    expect(Number(rows[0]!.n)).toBe(0);
    const disclosed = attackPublicFigures(stats, csv, geojson, { boundaryIds: stats.districts.map((d) => d.district!), districtsWithRemainder: new Set() });
    expect(disclosed).toEqual([]);
    expect(csv).toMatch(/^# Withheld counts \(empty fields\): Every count under 10 is withheld/mu);
    expect((geojson['features'] as unknown[]).length).toBe(stats.districts.length + stats.cameras.length);
  });

  it('sends ETags and a max-age, answers 304 to a reader holding the same figures, in every form', async () => {
    for (const path of ['/v1/public/stats', '/v1/public/stats.csv', '/v1/public/stats.geojson']) {
      const first = await get(`${path}?quarter=${QUARTER}`);
      expect(first.statusCode).toBe(200);
      expect(first.headers['cache-control']).toBe('public, max-age=1');
      const etag = String(first.headers['etag']);
      expect(etag).toMatch(/^W\/"/u);
      // Recomputed after the reuse window: the same figures keep the same validator.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const again = await get(`${path}?quarter=${QUARTER}`, { 'if-none-match': etag });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
    }
    expect((await get(`/v1/public/stats.csv?quarter=${QUARTER}`)).headers['content-type']).toBe('text/csv; charset=utf-8');
    // Sent gzipped to a reader who takes it, the same bytes once unpacked.
    const packed = await t.app.inject({ method: 'GET', url: `/v1/public/stats?quarter=${QUARTER}`, headers: { 'accept-encoding': 'gzip, br' } });
    expect(packed.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(packed.rawPayload).toString('utf8')).toBe((await get(`/v1/public/stats?quarter=${QUARTER}`)).body);
    expect(packed.rawPayload.length).toBeLessThan(Number((await get(`/v1/public/stats?quarter=${QUARTER}`)).headers['content-length']) / 4);
    expect((await get(`/v1/public/stats.geojson?quarter=${QUARTER}`)).headers['content-type']).toBe('application/geo+json; charset=utf-8');
  });

  it('shows a new detection once the short reuse window has passed, under a new ETag', async () => {
    const before = await get(`/v1/public/stats?quarter=${QUARTER}`);
    const week = stats.weeks[3]!;
    const detected = [0].map(() => ({
      source: 'sergek-almaty', eventId: 'fresh-1-d', violationRef: 'FRESH-1', type: 'detected', occurredAt: `${week}T10:00:00+05:00`,
      actor: { kind: 'camera', id: stats.cameras[0]!.cameraId }, payload: { plate: '999ZZZ02', cameraId: stats.cameras[0]!.cameraId, place: { lat: 43.25, lon: 76.92, district: 'Almaly' }, article: '592.1', speed: 87, speedLimit: 60 },
    }));
    const res = await t.app.inject({ method: 'POST', url: '/v1/events/batch', headers: { authorization: `Bearer ${t.keys.source}`, 'content-type': 'application/json' }, payload: JSON.stringify(detected) });
    expect(res.json().summary.accepted).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const after = await get(`/v1/public/stats?quarter=${QUARTER}`, { 'if-none-match': String(before.headers['etag']) });
    expect(after.statusCode).toBe(200);
    expect(after.json().city.total.detections).toBe(before.json().city.total.detections + 1);
  });

  it("answers today's quarter by default, listing only the weeks begun so far", async () => {
    const body = (await get('/v1/public/stats')).json() as PublicStats;
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Almaty' }).format(new Date());
    expect(body.weeks.length).toBeGreaterThan(0);
    expect(body.weeks.every((week) => week <= today)).toBe(true);
    expect(body.period.to > new Date().toISOString()).toBe(true);
    expect(body.city.weeks.map((w) => w.week)).toEqual(body.weeks);
  });

  it('names the field of a bad query', async () => {
    const res = await get('/v1/public/stats?quarter=2026-Q5');
    expect(res.statusCode).toBe(400);
    expect(res.json().reasons[0]).toMatchObject({ path: 'quarter', message: expect.stringMatching(/quarter of ISO weeks/u) });
    const period = await get('/v1/public/stats.csv?from=2026-01-01T00:00:00Z');
    expect(period.statusCode).toBe(400);
  });
});
