import type pg from 'pg';
import type { ActorPlaces, PlaceCamera, PlaceDistrict, PlacesView } from '@qadaga/contracts/api';
import { OPEN_FLAG_STATUSES } from '@qadaga/domain';
import { DistrictBoundaryRepository } from '../geo/district-boundary-repository.js';
import { districtIs, placesOfFlags, spellingsOf } from '../flags/flag-places.js';
import { flagRecusedFrom } from '../flags/flag-recusal.js';
import type { DistrictResolver, LatLon } from '../geo/district-resolver.js';
import { OFFICER_ACTIONS, share, type Period } from './shared.js';

/** About 550 m of latitude: fine enough for a street, coarse enough for a city on one screen. */
export const GRID_CELL_DEGREES = 0.005;

export type { PlacesView, ActorPlaces } from '@qadaga/contracts/api';

const cellIndex = (degrees: number) => Math.floor(degrees / GRID_CELL_DEGREES);
const centre = (index: number) => Math.round((index + 0.5) * GRID_CELL_DEGREES * 1e6) / 1e6;

/** The coordinates of each violation's detection, as the camera reported them (rounded to about a metre). */
const DETECTION_POINT = `LEFT JOIN LATERAL (
    SELECT round((e.payload->'place'->>'lat')::numeric, 5)::float8 AS lat, round((e.payload->'place'->>'lon')::numeric, 5)::float8 AS lon
    FROM ledger_event e WHERE e.violation_ref = v.ref AND e.type = 'detected' AND e.payload->'place' ? 'lat' AND e.payload->'place' ? 'lon'
    LIMIT 1
  ) p ON true`;

/** The register's position of each camera; for a camera it lacks, the mean of its detections' coordinates in the period. */
export async function cameraPositions(pool: pg.Pool, from: Date, to: Date): Promise<Map<string, LatLon>> {
  const { rows } = await pool.query<{ id: string; lat: number; lon: number }>(
    `SELECT id, lat, lon FROM camera
     UNION ALL
     SELECT v.camera_id, avg((e.payload->'place'->>'lat')::float8), avg((e.payload->'place'->>'lon')::float8)
     FROM violation v JOIN ledger_event e ON e.violation_ref = v.ref AND e.type = 'detected'
     WHERE v.detected_at >= $1 AND v.detected_at < $2 AND v.camera_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM camera c WHERE c.id = v.camera_id) AND e.payload->'place' ? 'lat' AND e.payload->'place' ? 'lon'
     GROUP BY v.camera_id`,
    [from, to],
  );
  return new Map(rows.map((r) => [r.id, { lat: Math.round(r.lat * 1e5) / 1e5, lon: Math.round(r.lon * 1e5) / 1e5 }]));
}

interface Counts {
  violations: number;
  cancellations: number;
  openFlags: number;
}
const empty = (): Counts => ({ violations: 0, cancellations: 0, openFlags: 0 });
const withRate = <T extends Counts>(c: T) => ({ ...c, cancellationRate: share(c.cancellations, c.violations) });

/**
 * Where violations and cancellations happen, for prosecutors: per district (by loaded
 * boundary id) and per camera (with its position), against the whole city's rate, and on
 * a grid of cells from the coordinates the cameras reported, so the workbench draws it
 * without a tile server. Counts, no plate and no officer.
 */
export class PlacesRepository {
  private readonly boundaries: DistrictBoundaryRepository;

  constructor(private readonly pool: pg.Pool) {
    this.boundaries = new DistrictBoundaryRepository(pool);
  }

  /**
   * `excludeSubjects`: the officer ids and units the reader is recused from; their flags are
   * not counted, as the queue does not list them.
   */
  async view(period: Pick<Period, 'from' | 'to'>, district: string | null, reader: { excludeSubjects?: readonly string[] } = {}): Promise<PlacesView> {
    const [resolver, positions, counts] = await Promise.all([
      this.boundaries.resolver(),
      cameraPositions(this.pool, period.from, period.to),
      this.pool.query<{ district: string | null; camera_id: string | null; lat: number | null; lon: number | null; n: string; cancelled: string }>(
        `SELECT v.district, v.camera_id, p.lat, p.lon, count(*) AS n, count(*) FILTER (WHERE v.status = 'cancelled') AS cancelled
         FROM violation v ${DETECTION_POINT}
         WHERE v.detected_at >= $1 AND v.detected_at < $2
         GROUP BY 1, 2, 3, 4`,
        [period.from, period.to],
      ),
    ]);
    const city = empty();
    const districts = new Map<string, Counts>();
    const cameras = new Map<string, Counts & { cameraId: string; district: string | null }>();
    const cells = new Map<string, { y: number; x: number; violations: number; cancellations: number }>();
    const districtEntry = (key: string | null) => {
      const name = key ?? '';
      const found = districts.get(name) ?? empty();
      districts.set(name, found);
      return found;
    };
    for (const r of counts.rows) {
      const point = r.lat !== null && r.lon !== null ? { lat: r.lat, lon: r.lon } : null;
      const cameraAt = r.camera_id === null ? null : positions.get(r.camera_id);
      const key = resolver.resolve(r.district, point, cameraAt);
      const n = Number(r.n);
      const cancelled = Number(r.cancelled);
      city.violations += n;
      city.cancellations += cancelled;
      if (district !== null && key !== district) continue;
      const d = districtEntry(key);
      d.violations += n;
      d.cancellations += cancelled;
      if (r.camera_id !== null) {
        const c = cameras.get(r.camera_id) ?? { ...empty(), cameraId: r.camera_id, district: key };
        c.violations += n;
        c.cancellations += cancelled;
        cameras.set(r.camera_id, c);
      }
      const at = point ?? cameraAt ?? null;
      if (at !== null) {
        const y = cellIndex(at.lat);
        const x = cellIndex(at.lon);
        const cell = cells.get(`${y}|${x}`) ?? { y, x, violations: 0, cancellations: 0 };
        cell.violations += n;
        cell.cancellations += cancelled;
        cells.set(`${y}|${x}`, cell);
      }
    }
    const flags = await openFlagsByPlace(this.pool, [...new Set([...districts.keys(), ...resolver.ids])].filter((k) => k !== ''), reader.excludeSubjects ?? []);
    city.openFlags = flags.city;
    for (const [key, n] of flags.districts) {
      if (district !== null && key !== district) continue;
      districtEntry(key).openFlags = n;
    }
    for (const [cameraId, n] of flags.cameras) {
      const c = cameras.get(cameraId);
      if (c !== undefined) c.openFlags = n;
    }
    return {
      period: { from: period.from.toISOString(), to: period.to.toISOString() },
      district,
      city: withRate(city),
      districts: [...districts.entries()]
        .map(([key, c]): PlaceDistrict => ({ district: key, name: resolver.namesOf(key), ...withRate(c) }))
        .sort((a, b) => b.violations - a.violations || a.district.localeCompare(b.district)),
      cameras: [...cameras.values()]
        .map(({ cameraId, district: key, ...c }): PlaceCamera => ({ cameraId, district: key, position: positions.get(cameraId) ?? null, ...withRate(c) }))
        .sort((a, b) => b.violations - a.violations || a.cameraId.localeCompare(b.cameraId)),
      grid: {
        cellDegrees: GRID_CELL_DEGREES,
        cells: [...cells.values()]
          .sort((a, b) => a.y - b.y || a.x - b.x)
          .map((c) => ({ lat: centre(c.y), lon: centre(c.x), violations: c.violations, cancellations: c.cancellations })),
      },
    };
  }

  /** Whether the roster or the ledger knows the unit. */
  async unitKnown(unit: string): Promise<boolean> {
    const { rows } = await this.pool.query(
      `SELECT 1 FROM officer WHERE unit = $1 UNION ALL (SELECT 1 FROM ledger_event WHERE actor_unit = $1 AND actor_kind IN ('officer', 'supervisor') LIMIT 1) LIMIT 1`,
      [unit],
    );
    return rows.length > 0;
  }

  /**
   * Where an officer's (or a unit's) signed actions happened: the place of the violation
   * each confirmation, rejection, cancellation or amendment was on, by district and on the grid.
   */
  async actorPlaces(subject: { kind: 'officer' | 'unit'; id: string }, period: Period): Promise<ActorPlaces> {
    const who =
      subject.kind === 'officer'
        ? `a.actor_id = $3 AND a.actor_kind IN ('officer', 'supervisor')`
        : `a.actor_kind IN ('officer', 'supervisor') AND (a.actor_unit = $3 OR (a.actor_unit IS NULL AND a.actor_id IN (SELECT id FROM officer WHERE unit = $3)))`;
    const [resolver, positions, counts] = await Promise.all([
      this.boundaries.resolver(),
      cameraPositions(this.pool, new Date(period.from.getTime() - 366 * 86_400_000), period.to),
      this.pool.query<{ district: string | null; camera_id: string | null; lat: number | null; lon: number | null; n: string; cancelled: string }>(
        `SELECT v.district, v.camera_id, p.lat, p.lon, count(*) AS n, count(*) FILTER (WHERE a.type = 'cancelled') AS cancelled
         FROM ledger_event a JOIN violation v ON v.ref = a.violation_ref ${DETECTION_POINT}
         WHERE ${who} AND a.occurred_at >= $1 AND a.occurred_at < $2 AND a.type = ANY($4::text[])
         GROUP BY 1, 2, 3, 4`,
        [period.from, period.to, subject.id, OFFICER_ACTIONS],
      ),
    ]);
    return aggregateActions(subject, period, resolver, positions, counts.rows);
  }
}

function aggregateActions(
  subject: ActorPlaces['subject'],
  period: Period,
  resolver: DistrictResolver,
  positions: ReadonlyMap<string, LatLon>,
  rows: { district: string | null; camera_id: string | null; lat: number | null; lon: number | null; n: string; cancelled: string }[],
): ActorPlaces {
  let actions = 0;
  let located = 0;
  const districts = new Map<string, { district: string | null; actions: number; cancellations: number }>();
  const cells = new Map<string, { y: number; x: number; actions: number; cancellations: number }>();
  for (const r of rows) {
    const n = Number(r.n);
    const cancelled = Number(r.cancelled);
    const point = r.lat !== null && r.lon !== null ? { lat: r.lat, lon: r.lon } : null;
    const at = point ?? (r.camera_id === null ? null : (positions.get(r.camera_id) ?? null));
    const key = resolver.resolve(r.district, point, at);
    actions += n;
    const d = districts.get(key ?? '\u0000') ?? { district: key, actions: 0, cancellations: 0 };
    d.actions += n;
    d.cancellations += cancelled;
    districts.set(key ?? '\u0000', d);
    if (at === null) continue;
    located += n;
    const y = cellIndex(at.lat);
    const x = cellIndex(at.lon);
    const cell = cells.get(`${y}|${x}`) ?? { y, x, actions: 0, cancellations: 0 };
    cell.actions += n;
    cell.cancellations += cancelled;
    cells.set(`${y}|${x}`, cell);
  }
  return {
    subject,
    period: { from: period.from.toISOString(), to: period.to.toISOString(), timeZone: period.timeZone },
    actions,
    located,
    districts: [...districts.values()]
      .map((d) => ({ ...d, name: resolver.namesOf(d.district) }))
      .sort((a, b) => b.actions - a.actions || (a.district ?? '\uffff').localeCompare(b.district ?? '\uffff')),
    grid: {
      cellDegrees: GRID_CELL_DEGREES,
      cells: [...cells.values()].sort((a, b) => a.y - b.y || a.x - b.x).map((c) => ({ lat: centre(c.y), lon: centre(c.x), actions: c.actions, cancellations: c.cancellations })),
    },
  };
}

/**
 * Open flags (OPEN_FLAG_STATUSES: what the queue lists by default) the reader may see, in
 * the whole city and per place, by the rule of flag-places.ts: a flag counts once in every
 * district and at every camera where one of its evidence violations happened (or where it
 * says it is), so a district's figure is exactly the queue filtered to that district. They
 * are open now, whatever the period: the queue a district opens has no period either.
 *
 * Districts are counted for `keys` (the places the page shows, and every loaded boundary)
 * and for each name a flag is placed at that none of them matches, under that name.
 */
async function openFlagsByPlace(
  pool: pg.Pool,
  keys: readonly string[],
  excludeSubjects: readonly string[],
): Promise<{ city: number; districts: Map<string, number>; cameras: Map<string, number> }> {
  const { rows } = await pool.query<{ level: 'city' | 'district' | 'camera'; key: string | null; n: string }>(
    `WITH open AS MATERIALIZED (
       SELECT f.id, f.subject_kind, f.subject_id, f.district, f.facts, f.evidence FROM flag f
       WHERE f.status = ANY($1::text[]) AND NOT ${flagRecusedFrom('f', '$2::text[]')}),
     placed AS MATERIALIZED (${placesOfFlags('open')}),
     named AS MATERIALIZED (SELECT DISTINCT p.district, p.id FROM placed p WHERE p.district IS NOT NULL),
     given AS MATERIALIZED (SELECT k.key, ${spellingsOf('k.key')} AS spellings FROM unnest($3::text[]) AS k(key)),
     unmatched AS (SELECT DISTINCT n.district AS key FROM named n WHERE NOT EXISTS (SELECT 1 FROM given k WHERE ${districtIs('n.district', 'k.key', 'k.spellings')})),
     keys AS (SELECT key, spellings FROM given UNION ALL SELECT key, ${spellingsOf('key')} FROM unmatched)
     SELECT 'city' AS level, NULL AS key, (SELECT count(*) FROM open) AS n
     UNION ALL
     SELECT 'district', k.key, count(DISTINCT n.id) FROM keys k JOIN named n ON ${districtIs('n.district', 'k.key', 'k.spellings')} GROUP BY k.key
     UNION ALL
     SELECT 'camera', p.camera_id, count(DISTINCT p.id) FROM placed p WHERE p.camera_id IS NOT NULL GROUP BY p.camera_id`,
    [[...OPEN_FLAG_STATUSES], [...excludeSubjects], [...keys]],
  );
  const districts = new Map<string, number>();
  const cameras = new Map<string, number>();
  let city = 0;
  for (const r of rows) {
    const n = Number(r.n);
    if (r.level === 'city') city = n;
    else if (r.key !== null && n > 0) (r.level === 'district' ? districts : cameras).set(r.key, n);
  }
  return { city, districts, cameras };
}
