import type pg from 'pg';
import { protectHierarchicalCounts, TOTAL_COLUMN, type CountNode } from '@qadaga/domain';
import type { PublicFigures, PublicMethod, PublicStats } from '@qadaga/contracts/api';
import type { DistrictBoundary } from '../geo/district-geojson.js';
import { DistrictResolver, type LatLon } from '../geo/district-resolver.js';
import { DistrictBoundaryRepository } from '../geo/district-boundary-repository.js';
import { localDay, quarterOfDay, quarterWeeks, quartersBetween } from './iso-quarter.js';
import { cameraPositions } from './places.js';
import { LOCAL_WEEK } from './shared.js';

export type { PublicStats, PublicFigures } from '@qadaga/contracts/api';

export const PUBLIC_MEASURES = ['detections', 'violations', 'cancellations'] as const;
export type PublicMeasure = (typeof PUBLIC_MEASURES)[number];

/**
 * Statuses of a detection that is a violation: reviewed and confirmed (whatever followed,
 * a cancellation or an expiry included). Not one: awaiting review, rejected, or unknown.
 */
export const NOT_A_VIOLATION = ['detected', 'in_review', 'rejected', 'unknown'] as const;

/** Counts of one local week at one place as the projection holds them, before any is withheld. */
export interface RawPublicRow {
  week: string;
  /** As the source wrote it. */
  district: string | null;
  cameraId: string | null;
  /** The detection's coordinates, read only where the source wrote no district. */
  point: LatLon | null;
  detections: number;
  violations: number;
  cancellations: number;
}

export interface PublicFiguresInput {
  quarter: string;
  period: { from: Date; to: Date; timeZone: string };
  weeks: string[];
  quarters: string[];
  minCellCount: number;
  rows: RawPublicRow[];
  /** Camera positions: the register's, else the mean of its detections' coordinates. */
  cameras: ReadonlyMap<string, LatLon>;
  boundaries: readonly DistrictBoundary[];
  attribution: string | null;
  sources: { code: string; name: string; kind: string; covered: boolean }[];
  computedAt: Date;
}

const CITY = 'city';
const districtNode = (key: string | null) => `d\u0000${key ?? ''}`;
const cameraNode = (district: string | null, camera: string) => `c\u0000${district ?? ''}\u0000${camera}`;
const remainderNode = (district: string | null) => `r\u0000${district ?? ''}`;

const nextMonday = (monday: string) => new Date(Date.parse(`${monday}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);

const per1000 = (part: number | null, whole: number | null) => (part === null || whole === null || whole === 0 ? null : Math.round((part / whole) * 10_000) / 10);

/**
 * The public figures of a quarter: the city, each district and each camera, per week and
 * over the quarter, with every count under the minimum withheld and every count that would
 * give a withheld one away (by subtraction within or across the tables) withheld too.
 */
export function publishFigures(input: PublicFiguresInput): PublicStats {
  const resolver = new DistrictResolver(input.boundaries);
  const values = new Map<string, number>();
  const add = (node: string, week: string, measure: PublicMeasure, n: number) => {
    const k = `${node}\u0001${week}\u0001${measure}`;
    values.set(k, (values.get(k) ?? 0) + n);
  };
  const districts = new Map<string, { key: string | null; boundary: boolean }>();
  for (const id of resolver.ids) districts.set(districtNode(id), { key: id, boundary: true });
  const cameras = new Map<string, { district: string | null; cameraId: string }>();
  const remainders = new Map<string, string | null>();
  for (const row of input.rows) {
    const key = resolver.resolve(row.district, row.point, row.cameraId === null ? null : input.cameras.get(row.cameraId));
    const d = districtNode(key);
    if (!districts.has(d)) districts.set(d, { key, boundary: false });
    let leaf: string;
    if (row.cameraId === null) {
      leaf = remainderNode(key);
      remainders.set(leaf, key);
    } else {
      leaf = cameraNode(key, row.cameraId);
      cameras.set(leaf, { district: key, cameraId: row.cameraId });
    }
    for (const measure of PUBLIC_MEASURES) for (const node of [CITY, d, leaf]) add(node, row.week, measure, row[measure]);
  }

  const districtOrder = [...districts.entries()].sort(([, a], [, b]) => Number(b.boundary) - Number(a.boundary) || (a.key ?? '\uffff').localeCompare(b.key ?? '\uffff'));
  const cameraOrder = [...cameras.entries()].sort(([, a], [, b]) => (a.district ?? '\uffff').localeCompare(b.district ?? '\uffff') || a.cameraId.localeCompare(b.cameraId));
  const nodes: CountNode[] = [{ key: CITY, parent: null }];
  for (const [node, d] of districtOrder) nodes.push({ key: node, parent: CITY, listedWhenCounting: !d.boundary });
  for (const [node, c] of cameraOrder) nodes.push({ key: node, parent: districtNode(c.district), listedWhenCounting: true });
  for (const [node, key] of remainders) nodes.push({ key: node, parent: districtNode(key), unpublished: true });

  const counts = protectHierarchicalCounts(
    { measures: PUBLIC_MEASURES, columns: input.weeks, nodes, value: (node, week, measure) => values.get(`${node}\u0001${week}\u0001${measure}`) ?? 0 },
    input.minCellCount,
  );
  const figures = (node: string, column: string): PublicFigures => {
    const [detections, violations, cancellations] = PUBLIC_MEASURES.map((m) => counts.shown(node, column, m)) as [number | null, number | null, number | null];
    return { detections, violations, cancellations, violationsPer1000: per1000(violations, detections), cancellationsPer1000: per1000(cancellations, detections) };
  };
  const series = (node: string) => ({ total: figures(node, TOTAL_COLUMN), weeks: input.weeks.map((week) => ({ week, ...figures(node, week) })) });

  return {
    quarter: input.quarter,
    period: { from: input.period.from.toISOString(), to: input.period.to.toISOString(), timeZone: input.period.timeZone },
    quarters: input.quarters,
    minCellCount: input.minCellCount,
    weeks: input.weeks,
    city: series(CITY),
    districts: districtOrder.map(([node, d]) => ({ district: d.key, name: resolver.namesOf(d.key), ...series(node) })),
    cameras: cameraOrder.map(([node, c]) => ({ cameraId: c.cameraId, district: c.district, position: input.cameras.get(c.cameraId) ?? null, ...series(node) })),
    method: methodOf(input),
    attribution: input.attribution,
  };
}

function methodOf(input: PublicFiguresInput): PublicMethod {
  return {
    counted: {
      detections: 'Every camera detection recorded in the ledger whose detection time falls in the week, whatever became of it.',
      violations: `Detections reviewed and confirmed as violations, whatever followed (paid, appealed, cancelled, expired); not those awaiting review (${NOT_A_VIOLATION.slice(0, 2).join(', ')}), rejected, or of unknown status.`,
      cancellations: 'Detections whose fine stands cancelled now (by an officer, on appeal or by a court), counted in the week of the detection.',
    },
    weeks: `Local weeks (${input.period.timeZone}) from Monday 00:00; a quarter is 13 ISO weeks (weeks 40 to the last in Q4). Counts follow the ledger as it stands: a late cancellation changes the week of its detection.`,
    districts:
      'A detection counts in the district its source named when that name is one of a loaded boundary’s; otherwise in the boundary holding its coordinates, or its camera’s position (point in polygon); otherwise under the name the source wrote, or under no district (null).',
    suppression: `Every count under ${input.minCellCount} is withheld. Then, so that no withheld count can be worked out by subtracting shown counts from a shown total (cameras within a district, districts within the city, weeks within the quarter, detections bounding violations and cancellations), further counts are withheld, the smallest first, until none can. A rate is shown only when both of its counts are.`,
    minCellCount: input.minCellCount,
    ruleVersions: [],
    ruleOutput: 'None: the figures count the lifecycle of detections alone. No rule, flag or score is published.',
    sources: {
      covered: input.sources.filter((s) => s.covered).map(({ code, name, kind }) => ({ code, name, kind })),
      notCovered: input.sources
        .filter((s) => !s.covered)
        .map(({ code, name, kind }) => ({ code, name, kind, reason: 'sent no event about a detection of this quarter' })),
    },
    computedAt: input.computedAt.toISOString(),
  };
}

/** Reads what the public figures of a quarter are computed from: the projection, the camera register, the boundaries and the sources. */
export class PublicStatsRepository {
  private readonly boundaries: DistrictBoundaryRepository;

  constructor(private readonly pool: pg.Pool) {
    this.boundaries = new DistrictBoundaryRepository(pool);
  }

  /** The quarter holding `at` in the time zone. */
  currentQuarter(at: Date, timeZone: string): string {
    return quarterOfDay(localDay(at, timeZone));
  }

  async figures(quarter: string, timeZone: string, minCellCount: number): Promise<PublicStats> {
    return publishFigures(await this.input(quarter, timeZone, minCellCount));
  }

  async input(quarter: string, timeZone: string, minCellCount: number, now = new Date()): Promise<PublicFiguresInput> {
    // Weeks not yet begun are left out: everyone knows they are empty, so listing them
    // withheld would only pin them to zero and force their quarter's total to be withheld.
    const today = localDay(now, timeZone);
    const whole = quarterWeeks(quarter);
    const weeks = whole.weeks.filter((week) => week <= today);
    const end = weeks.length === whole.weeks.length ? whole.end : (weeks.length === 0 ? whole.weeks[0]! : nextMonday(weeks[weeks.length - 1]!));
    const bounds = await this.pool.query<{ from: Date; to: Date }>(
      `SELECT ($1::date::timestamp AT TIME ZONE $3) AS "from", ($2::date::timestamp AT TIME ZONE $3) AS "to"`,
      [whole.weeks[0], end, timeZone],
    );
    const { from, to } = bounds.rows[0] as { from: Date; to: Date };
    const [counts, register, boundaries, sources, span] = await Promise.all([
      this.pool.query<{ week: string; district: string | null; camera_id: string | null; lat: number | null; lon: number | null; n: string; violations: string; cancelled: string }>(
        `SELECT ${LOCAL_WEEK('v.detected_at', '$3')} AS week, v.district, v.camera_id, p.lat, p.lon, count(*) AS n,
           count(*) FILTER (WHERE v.status <> ALL($4::text[])) AS violations, count(*) FILTER (WHERE v.status = 'cancelled') AS cancelled
         FROM violation v
         LEFT JOIN LATERAL (
           SELECT round((e.payload->'place'->>'lat')::numeric, 5)::float8 AS lat, round((e.payload->'place'->>'lon')::numeric, 5)::float8 AS lon
           FROM ledger_event e
           WHERE v.district IS NULL AND e.violation_ref = v.ref AND e.type = 'detected' AND e.payload->'place' ? 'lat' AND e.payload->'place' ? 'lon'
           LIMIT 1
         ) p ON true
         WHERE v.detected_at >= $1 AND v.detected_at < $2
         GROUP BY 1, 2, 3, 4, 5`,
        [from, to, timeZone, NOT_A_VIOLATION],
      ),
      cameraPositions(this.pool, from, to),
      this.boundaries.list(),
      this.pool.query<{ code: string; name: string; kind: string; covered: boolean }>(
        `SELECT s.code, s.name, s.kind, EXISTS (
           SELECT 1 FROM violation v WHERE v.detected_at >= $1 AND v.detected_at < $2 AND v.status_by_source ? s.code
         ) AS covered
         FROM source_system s ORDER BY s.code`,
        [from, to],
      ),
      this.pool.query<{ first: string | null; last: string | null }>(
        `SELECT to_char(min(detected_at) AT TIME ZONE $1, 'YYYY-MM-DD') AS first, to_char(max(detected_at) AT TIME ZONE $1, 'YYYY-MM-DD') AS last FROM violation`,
        [timeZone],
      ),
    ]);
    const first = span.rows[0]?.first ?? null;
    const last = span.rows[0]?.last ?? null;
    return {
      quarter,
      period: { from, to, timeZone },
      weeks,
      quarters: first !== null && last !== null ? quartersBetween(first, last) : [],
      minCellCount,
      rows: counts.rows.map((r) => ({
        week: r.week,
        district: r.district,
        cameraId: r.camera_id,
        point: r.lat !== null && r.lon !== null ? { lat: r.lat, lon: r.lon } : null,
        detections: Number(r.n),
        violations: Number(r.violations),
        cancellations: Number(r.cancelled),
      })),
      cameras: register,
      boundaries: boundaries.boundaries,
      attribution: boundaries.attribution,
      sources: sources.rows,
      computedAt: new Date(),
    };
  }
}
