import type pg from 'pg';
import type { PlaceDistrict, PlacesView } from '@qadaga/contracts/api';
import type { Period } from './shared.js';

/** About 550 m of latitude: fine enough for a street, coarse enough for a city on one screen. */
export const GRID_CELL_DEGREES = 0.005;

export type { PlacesView } from '@qadaga/contracts/api';

const centre = (index: number) => Math.round((index + 0.5) * GRID_CELL_DEGREES * 1e6) / 1e6;

/**
 * Where violations and cancellations happen: counts per district from the projection,
 * and a grid of cells aggregated in PostgreSQL from the coordinates the cameras reported
 * (payload.place of each detection), so the workbench draws it without a tile server.
 */
export class PlacesRepository {
  constructor(private readonly pool: pg.Pool) {}

  async view(period: Pick<Period, 'from' | 'to'>, district: string | null): Promise<PlacesView> {
    const [districts, flags, cells] = await Promise.all([
      this.pool.query<{ district: string; n: string; cancelled: string }>(
        `SELECT coalesce(district, '') AS district, count(*) AS n, count(*) FILTER (WHERE status = 'cancelled') AS cancelled
         FROM violation WHERE detected_at >= $1 AND detected_at < $2 AND ($3::text IS NULL OR district = $3)
         GROUP BY 1`,
        [period.from, period.to, district],
      ),
      this.pool.query<{ district: string; n: string }>(
        `SELECT district, count(*) AS n FROM flag
         WHERE status <> 'dismissed' AND district IS NOT NULL AND window_from < $2 AND window_to >= $1 AND ($3::text IS NULL OR district = $3)
         GROUP BY district`,
        [period.from, period.to, district],
      ),
      this.pool.query<{ y: number; x: number; n: string; cancelled: string }>(
        `SELECT floor((e.payload->'place'->>'lat')::float8 / $4)::int AS y, floor((e.payload->'place'->>'lon')::float8 / $4)::int AS x,
           count(DISTINCT v.ref) AS n, count(DISTINCT v.ref) FILTER (WHERE v.status = 'cancelled') AS cancelled
         FROM ledger_event e JOIN violation v ON v.ref = e.violation_ref
         WHERE e.type = 'detected' AND e.occurred_at >= $1 AND e.occurred_at < $2 AND e.payload->'place' ? 'lat'
           AND ($3::text IS NULL OR v.district = $3)
         GROUP BY 1, 2 ORDER BY 1, 2`,
        [period.from, period.to, district, GRID_CELL_DEGREES],
      ),
    ]);
    const merged = new Map<string, PlaceDistrict>();
    const entry = (name: string) => {
      const found = merged.get(name) ?? { district: name, violations: 0, cancellations: 0, openFlags: 0 };
      merged.set(name, found);
      return found;
    };
    for (const r of districts.rows) {
      const d = entry(r.district);
      d.violations = Number(r.n);
      d.cancellations = Number(r.cancelled);
    }
    for (const r of flags.rows) entry(r.district).openFlags = Number(r.n);
    return {
      period: { from: period.from.toISOString(), to: period.to.toISOString() },
      district,
      districts: [...merged.values()].sort((a, b) => b.violations - a.violations || a.district.localeCompare(b.district)),
      grid: {
        cellDegrees: GRID_CELL_DEGREES,
        cells: cells.rows.map((r) => ({ lat: centre(r.y), lon: centre(r.x), violations: Number(r.n), cancellations: Number(r.cancelled) })),
      },
    };
  }
}
