import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBoundaryFile, type DistrictBoundary } from '../geo/district-geojson.js';
import { attackPublicFigures, ratesWithWithheldCounts } from '../testing/public-figures-attacker.js';
import { DistrictResolver } from '../geo/district-resolver.js';
import { quarterWeeks } from './iso-quarter.js';
import { publicStatsCsv, publicStatsGeoJson } from './public-downloads.js';
import { publishFigures, type PublicFiguresInput, type RawPublicRow } from './public-stats.js';
import { publicDistricts } from '../geo/district-boundary-repository.js';

const square = (w: number, s: number) => [[[w, s], [w + 1, s], [w + 1, s + 1], [w, s + 1], [w, s]]];
const BOUNDARIES: DistrictBoundary[] = parseBoundaryFile(
  JSON.stringify({
    type: 'FeatureCollection',
    attribution: 'Test survey',
    features: ['north', 'south', 'east'].map((id, i) => ({ type: 'Feature', properties: { id, name_en: `${id[0]!.toUpperCase()}${id.slice(1)} District` }, geometry: { type: 'Polygon', coordinates: square(i, 0) } })),
  }),
).boundaries;
const QUARTER = '2026-Q1';
const { weeks: WEEKS } = quarterWeeks(QUARTER);

function input(rows: RawPublicRow[], minCellCount: number): PublicFiguresInput {
  return {
    quarter: QUARTER,
    period: { from: new Date('2025-12-28T19:00:00Z'), to: new Date('2026-03-29T19:00:00Z'), timeZone: 'Asia/Almaty' },
    weeks: WEEKS,
    quarters: [QUARTER],
    minCellCount,
    rows,
    cameras: new Map([['CAM-P', { lat: 0.5, lon: 2.5 }]]),
    boundaries: BOUNDARIES,
    attribution: 'Test survey',
    sources: [{ code: 'cams', name: 'Cameras', kind: 'camera', covered: true }, { code: 'court', name: 'Court', kind: 'other', covered: false }],
    computedAt: new Date('2026-04-01T00:00:00Z'),
  };
}

/** What the attacker is granted: the loaded boundaries, and which districts hold detections with no camera. */
function knowledgeOf(rows: RawPublicRow[]) {
  const resolver = new DistrictResolver(BOUNDARIES);
  const districtsWithRemainder = new Set(rows.filter((r) => r.cameraId === null).map((r) => resolver.resolve(r.district, r.point)));
  return { boundaryIds: BOUNDARIES.map((b) => b.id), districtsWithRemainder };
}

function attack(rows: RawPublicRow[], minCellCount: number) {
  const stats = publishFigures(input(rows, minCellCount));
  const csv = publicStatsCsv(stats);
  const geojson = publicStatsGeoJson(stats, publicDistricts({ boundaries: BOUNDARIES, attribution: 'Test survey', licence: null }));
  return { stats, csv, geojson, disclosed: attackPublicFigures(stats, csv, geojson, knowledgeOf(rows)), rates: ratesWithWithheldCounts(stats) };
}

const row = (week: string, district: string | null, cameraId: string | null, detections: number, violations = detections, cancellations = 0, point: RawPublicRow['point'] = null): RawPublicRow => ({
  week, district, cameraId, point, detections, violations, cancellations,
});

describe('public figures of a quarter', () => {
  it('withholds counts under the minimum and the counts a shown total would give them away by', () => {
    // Every week, north: CAM-A 12 (2 cancelled) and CAM-C 3; south: CAM-B 20 (12 cancelled); east: CAM-E 25.
    const rows = WEEKS.flatMap((w) => [row(w, 'North', 'CAM-A', 12, 12, 2), row(w, 'north', 'CAM-C', 3), row(w, 'South District', 'CAM-B', 20, 18, 12), row(w, 'east', 'CAM-E', 25, 20)]);
    const { stats, disclosed, rates } = attack(rows, 10);
    const north = stats.districts.find((d) => d.district === 'north')!;
    expect(north.name).toEqual({ ru: null, kk: null, en: 'North District' });
    for (const w of north.weeks) expect(w).toMatchObject({ detections: 15, cancellations: null, cancellationsPer1000: null });
    expect(stats.city.weeks.map((w) => w.detections)).toEqual(WEEKS.map(() => 60));
    expect(stats.city.total).toMatchObject({ detections: 60 * WEEKS.length, violations: 53 * WEEKS.length, violationsPer1000: 883.3 });
    // CAM-C's 3 is withheld every week, so CAM-A's 12 is too: 15 - 12 would give it away.
    for (const c of stats.cameras.filter((x) => x.district === 'north')) for (const w of c.weeks) expect(w.detections).toBeNull();
    expect(stats.cameras.map((c) => [c.cameraId, c.district])).toEqual([['CAM-E', 'east'], ['CAM-A', 'north'], ['CAM-C', 'north'], ['CAM-B', 'south']]);
    for (const f of [stats.city, ...stats.districts, ...stats.cameras].flatMap((s) => [s.total, ...s.weeks])) {
      for (const v of [f.detections, f.violations, f.cancellations]) if (v !== null) expect(v).toBeGreaterThanOrEqual(10);
    }
    expect(disclosed).toEqual([]);
    expect(rates).toEqual([]);
  });

  it('withholds a zero too, and a week a shown total would pin to zero', () => {
    // One busy week and twelve empty ones: the quarter's 30 less the week's 30 would show the others are 0.
    const { stats, disclosed } = attack([row(WEEKS[0]!, 'north', 'CAM-A', 30)], 10);
    const north = stats.districts.find((d) => d.district === 'north')!;
    expect(north.weeks.every((w) => w.detections === null) || north.total.detections === null).toBe(true);
    // Every boundary is listed, empty ones too, so being listed tells nothing.
    expect(stats.districts.map((d) => d.district)).toEqual(['east', 'north', 'south']);
    expect(disclosed).toEqual([]);
  });

  it('places a detection with coordinates and no district by its boundary, and a camera by its position', () => {
    const rows = WEEKS.flatMap((w) => [row(w, null, null, 11, 11, 0, { lat: 0.5, lon: 1.5 }), row(w, null, 'CAM-P', 12), row(w, 'north', 'CAM-N', 15)]);
    const { stats, disclosed } = attack(rows, 10);
    expect(stats.districts.find((d) => d.district === 'south')!.weeks.map((w) => w.detections)).toEqual(WEEKS.map(() => 11));
    expect(stats.cameras[0]).toMatchObject({ cameraId: 'CAM-P', district: 'east', position: { lat: 0.5, lon: 2.5 }, total: { detections: 12 * WEEKS.length } });
    expect(disclosed).toEqual([]);
  });

  it('states its method: what is counted, no rule output, the sources covered and not, and the credit', () => {
    const { stats, csv, geojson } = attack(WEEKS.flatMap((w) => [row(w, 'north', 'CAM-A', 30), row(w, 'south', 'CAM-B', 30), row(w, 'east', 'CAM-E', 30)]), 10);
    expect(stats.method.ruleVersions).toEqual([]);
    expect(stats.method.ruleOutput).toMatch(/^None/u);
    expect(stats.method.sources).toEqual({
      covered: [{ code: 'cams', name: 'Cameras', kind: 'camera' }],
      notCovered: [{ code: 'court', name: 'Court', kind: 'other', reason: 'sent no event about a detection of this quarter' }],
    });
    expect(csv).toMatch(/^# Qadaga public figures, quarter 2026-Q1/u);
    expect(csv).toMatch(/^# Sources not covered: Court \(court, other\)/mu);
    expect(csv).toMatch(/^# District boundaries: Test survey$/mu);
    expect(csv).toMatch(/^level,district,camera_id,lat,lon,week,detections,violations,cancellations,violations_per_1000,cancellations_per_1000$/mu);
    expect(csv).toMatch(/^camera,north,CAM-A,,,total,390,390,,1000,$/mu);
    expect(csv).toMatch(/^camera,north,CAM-A,,,2025-12-29,30,30,,1000,$/mu);
    expect(geojson).toMatchObject({ type: 'FeatureCollection', attribution: 'Test survey', method: stats.method });
  });

  it('lets no withheld count be worked out from everything published, over randomised quarters', () => {
    const districtName = fc.constantFrom('north', 'South', 'east district', 'Elsewhere', null);
    const aRow = fc
      .record({
        week: fc.constantFrom(...WEEKS.slice(0, 4)),
        district: districtName,
        cameraId: fc.option(fc.constantFrom('CAM-1', 'CAM-2', 'CAM-3', 'CAM-4', 'CAM-5'), { freq: 6 }),
        detections: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 5, max: 40 })),
        violationShare: fc.double({ min: 0, max: 1, noNaN: true }),
        cancelShare: fc.double({ min: 0, max: 1, noNaN: true }),
      })
      .map((r) => {
        const violations = Math.floor(r.detections * r.violationShare);
        return row(r.week, r.district, r.cameraId, r.detections, violations, Math.floor(violations * r.cancelShare));
      });
    fc.assert(
      fc.property(fc.array(aRow, { minLength: 1, maxLength: 30 }), fc.integer({ min: 2, max: 12 }), (rows, min) => {
        const { disclosed, rates } = attack(rows, min);
        expect(disclosed).toEqual([]);
        expect(rates).toEqual([]);
      }),
      { numRuns: 60, seed: 20261207 },
    );
  });
});
