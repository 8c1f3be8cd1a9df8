import { stringify } from 'csv-stringify/sync';
import type { PublicDistricts, PublicFigures, PublicStats } from '@qadaga/contracts/api';

export const PUBLIC_CSV_HEADER = [
  'level',
  'district',
  'camera_id',
  'lat',
  'lon',
  'week',
  'detections',
  'violations',
  'cancellations',
  'violations_per_1000',
  'cancellations_per_1000',
] as const;

/** The method as lines of text, for a download read apart from the API. */
export function methodLines(stats: PublicStats): string[] {
  const m = stats.method;
  return [
    `Qadaga public figures, quarter ${stats.quarter} (${stats.period.from} to ${stats.period.to}, weeks in ${stats.period.timeZone}), computed ${m.computedAt}`,
    `Detections: ${m.counted.detections}`,
    `Violations: ${m.counted.violations}`,
    `Cancellations: ${m.counted.cancellations}`,
    `Weeks: ${m.weeks}`,
    `Districts: ${m.districts}`,
    `Withheld counts (empty fields): ${m.suppression}`,
    `Rule output: ${m.ruleOutput}${m.ruleVersions.length > 0 ? ` Rule versions: ${m.ruleVersions.map((r) => `${r.ruleId} v${r.version}`).join(', ')}` : ''}`,
    `Sources covered: ${m.sources.covered.map((s) => `${s.name} (${s.code}, ${s.kind})`).join('; ') || 'none'}`,
    `Sources not covered: ${m.sources.notCovered.map((s) => `${s.name} (${s.code}, ${s.kind}): ${s.reason}`).join('; ') || 'none'}`,
    ...(stats.attribution !== null ? [`District boundaries: ${stats.attribution}`] : []),
  ];
}

const countsOf = (f: PublicFigures) => [f.detections, f.violations, f.cancellations, f.violationsPer1000, f.cancellationsPer1000].map((v) => (v === null ? '' : String(v)));

/**
 * The figures as CSV: the method first, as lines starting with "#" (read by most CSV
 * readers as comments), then one row per place and week, and per place for the quarter
 * (week "total"). A withheld count is an empty field; nothing is shown that the JSON does not show.
 */
export function publicStatsCsv(stats: PublicStats): string {
  const rows: string[][] = [];
  const place = (level: string, district: string | null, camera: string | null, position: { lat: number; lon: number } | null, series: { total: PublicFigures; weeks: ({ week: string } & PublicFigures)[] }) => {
    const head = [level, district ?? '', camera ?? '', position === null ? '' : String(position.lat), position === null ? '' : String(position.lon)];
    for (const w of series.weeks) rows.push([...head, w.week, ...countsOf(w)]);
    rows.push([...head, 'total', ...countsOf(series.total)]);
  };
  place('city', null, null, null, stats.city);
  for (const d of stats.districts) place('district', d.district, null, null, d);
  for (const c of stats.cameras) place('camera', c.district, c.cameraId, c.position, c);
  const comments = methodLines(stats).map((line) => `# ${line.replace(/[\r\n]+/gu, ' ')}\n`).join('');
  return comments + stringify([[...PUBLIC_CSV_HEADER], ...rows]);
}

/**
 * The figures as GeoJSON (RFC 7946): each district with its boundary (null geometry where
 * no boundary is loaded for it), each camera at its position; the city, the method and the
 * attribution as members of the collection.
 */
export function publicStatsGeoJson(stats: PublicStats, districts: PublicDistricts): Record<string, unknown> {
  const geometryOf = new Map(districts.features.map((f) => [f.id, f.geometry]));
  return {
    type: 'FeatureCollection',
    quarter: stats.quarter,
    period: stats.period,
    minCellCount: stats.minCellCount,
    weeks: stats.weeks,
    city: stats.city,
    method: stats.method,
    attribution: stats.attribution,
    features: [
      ...stats.districts.map((d) => ({
        type: 'Feature',
        geometry: d.district === null ? null : (geometryOf.get(d.district) ?? null),
        properties: { level: 'district', district: d.district, name: d.name, total: d.total, weeks: d.weeks },
      })),
      ...stats.cameras.map((c) => ({
        type: 'Feature',
        geometry: c.position === null ? null : { type: 'Point', coordinates: [c.position.lon, c.position.lat] },
        properties: { level: 'camera', district: c.district, cameraId: c.cameraId, total: c.total, weeks: c.weeks },
      })),
    ],
  };
}
