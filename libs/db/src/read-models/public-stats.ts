import type pg from 'pg';
import type { PublicCell, PublicStats } from '@qadaga/contracts/api';
import { LOCAL_WEEK, type Period } from './shared.js';

/** A published count, or null when it is below the minimum and could point at a person or a vehicle. */
export type Cell = PublicCell;
export type { PublicStats } from '@qadaga/contracts/api';

export interface RawCounts {
  period: { from: Date; to: Date };
  rows: { week: string; district: string | null; cameraId: string | null; violations: number; cancellations: number }[];
}

const MEASURES = ['violations', 'cancellations'] as const;

/**
 * Every cell under the minimum is withheld. Because the cameras of a district add up to
 * the district, a district whose cells show but whose cameras hide exactly one cell of
 * a measure would give that one away by subtraction; the next smallest camera cell of
 * the group is then withheld too.
 */
export function suppressSmallCells(raw: RawCounts, minCellCount: number, timeZone: string): PublicStats {
  const cell = (n: number): Cell => (n < minCellCount ? { count: null, suppressed: true } : { count: n, suppressed: false });
  const districts = new Map<string, { week: string; district: string | null; violations: number; cancellations: number }>();
  const groups = new Map<string, PublicStats['byCamera']>();
  const byCamera: PublicStats['byCamera'] = [];
  const rawOf = new Map<PublicStats['byCamera'][number], { violations: number; cancellations: number }>();
  for (const r of raw.rows) {
    const key = `${r.week}|${r.district ?? ''}`;
    const d = districts.get(key) ?? { week: r.week, district: r.district, violations: 0, cancellations: 0 };
    d.violations += r.violations;
    d.cancellations += r.cancellations;
    districts.set(key, d);
    if (r.cameraId === null) continue;
    const row = { week: r.week, cameraId: r.cameraId, violations: cell(r.violations), cancellations: cell(r.cancellations) };
    byCamera.push(row);
    rawOf.set(row, { violations: r.violations, cancellations: r.cancellations });
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  for (const [key, rows] of groups) {
    const district = districts.get(key);
    if (district === undefined) continue;
    for (const measure of MEASURES) {
      const hidden = rows.filter((r) => r[measure].suppressed);
      if (hidden.length !== 1 || district[measure] < minCellCount) continue;
      const next = rows
        .filter((r) => !r[measure].suppressed)
        .sort((a, b) => (rawOf.get(a)?.[measure] ?? 0) - (rawOf.get(b)?.[measure] ?? 0))[0];
      if (next !== undefined) next[measure] = { count: null, suppressed: true };
    }
  }
  const order = <T extends { week: string }>(a: T, b: T, name: (x: T) => string) => a.week.localeCompare(b.week) || name(a).localeCompare(name(b));
  return {
    period: { from: raw.period.from.toISOString(), to: raw.period.to.toISOString(), timeZone },
    minCellCount,
    byDistrict: [...districts.values()]
      .map((d) => ({ week: d.week, district: d.district, violations: cell(d.violations), cancellations: cell(d.cancellations) }))
      .sort((a, b) => order(a, b, (x) => x.district ?? '')),
    byCamera: byCamera.sort((a, b) => order(a, b, (x) => x.cameraId)),
  };
}

/** Weekly counts per camera (with its district) straight from the projection, which ingestion updates in its own transaction. */
export class PublicStatsRepository {
  constructor(private readonly pool: pg.Pool) {}

  async weeklyCounts(period: Period): Promise<RawCounts> {
    const bounds = await this.pool.query<{ from: Date; to: Date }>(
      `SELECT date_trunc('week', $1::timestamptz AT TIME ZONE $3) AT TIME ZONE $3 AS "from",
         (date_trunc('week', ($2::timestamptz - interval '1 millisecond') AT TIME ZONE $3) + interval '7 days') AT TIME ZONE $3 AS "to"`,
      [period.from, period.to, period.timeZone],
    );
    const { from, to } = bounds.rows[0] as { from: Date; to: Date };
    const { rows } = await this.pool.query<{ week: string; district: string | null; camera_id: string | null; n: string; cancelled: string }>(
      `SELECT ${LOCAL_WEEK('detected_at', '$3')} AS week, district, camera_id, count(*) AS n, count(*) FILTER (WHERE status = 'cancelled') AS cancelled
       FROM violation WHERE detected_at >= $1 AND detected_at < $2 GROUP BY 1, 2, 3`,
      [from, to, period.timeZone],
    );
    return {
      period: { from, to },
      rows: rows.map((r) => ({ week: r.week, district: r.district, cameraId: r.camera_id, violations: Number(r.n), cancellations: Number(r.cancelled) })),
    };
  }
}
