import type pg from 'pg';
import type { CameraProfileData } from '@qadaga/contracts/api';
import { LOCAL_WEEK, openFlags, share, type Period } from './shared.js';

/** A camera's profile before the API withholds what the reader is recused from. */
export type CameraProfile = CameraProfileData;

/**
 * One camera over a period. The share of its detections that were rejected or cancelled
 * is set against the median of every camera's share over the same detections window,
 * computed in one grouped scan of the detected-at index.
 */
export class CameraProfileRepository {
  constructor(private readonly pool: pg.Pool) {}

  async profile(id: string, period: Period, topOfficers = 10): Promise<CameraProfile | null> {
    const window = [period.from, period.to];
    const [camera, weeks, all, officers, flags] = await Promise.all([
      this.pool.query<{ district: string; lat: number; lon: number }>('SELECT district, lat, lon FROM camera WHERE id = $1', [id]),
      this.pool.query<{ week: string; n: string; rejected: string; cancelled: string }>(
        `SELECT ${LOCAL_WEEK('detected_at', '$4')} AS week, count(*) AS n,
           count(*) FILTER (WHERE status = 'rejected') AS rejected, count(*) FILTER (WHERE status = 'cancelled') AS cancelled
         FROM violation WHERE camera_id = $1 AND detected_at >= $2 AND detected_at < $3 GROUP BY 1 ORDER BY 1`,
        [id, ...window, period.timeZone],
      ),
      this.pool.query<{ cameras: string; median: number | null; district: string | null }>(
        `WITH per_camera AS (
           SELECT camera_id, count(*) AS n, count(*) FILTER (WHERE status IN ('rejected', 'cancelled')) AS adverse, max(district) AS district
           FROM violation WHERE detected_at >= $1 AND detected_at < $2 AND camera_id IS NOT NULL GROUP BY camera_id
         )
         SELECT count(*) AS cameras, percentile_cont(0.5) WITHIN GROUP (ORDER BY adverse::float8 / n) AS median,
           max(district) FILTER (WHERE camera_id = $3) AS district
         FROM per_camera`,
        [...window, id],
      ),
      this.pool.query<{ officer: string; confirmed: string; rejected: string; cancelled: string }>(
        `SELECT e.actor_id AS officer,
           count(*) FILTER (WHERE e.type = 'confirmed') AS confirmed, count(*) FILTER (WHERE e.type = 'rejected') AS rejected,
           count(*) FILTER (WHERE e.type = 'cancelled') AS cancelled
         FROM violation v JOIN ledger_event e ON e.violation_ref = v.ref
         WHERE v.camera_id = $1 AND v.detected_at >= $2 AND v.detected_at < $3
           AND e.actor_kind IN ('officer', 'supervisor') AND e.type IN ('confirmed', 'rejected', 'cancelled')
         GROUP BY e.actor_id
         ORDER BY count(*) FILTER (WHERE e.type IN ('confirmed', 'rejected')) DESC, e.actor_id LIMIT ${topOfficers}`,
        [id, ...window],
      ),
      openFlags(this.pool, `subject_kind = 'camera' AND subject_id = $1`, [id]),
    ]);
    const registered = camera.rows[0];
    if (registered === undefined && weeks.rows.length === 0 && flags.length === 0) return null;
    const w = weeks.rows.map((r) => ({ week: r.week, detections: Number(r.n), rejected: Number(r.rejected), cancelled: Number(r.cancelled) }));
    const detections = w.reduce((s, r) => s + r.detections, 0);
    const rejected = w.reduce((s, r) => s + r.rejected, 0);
    const cancelled = w.reduce((s, r) => s + r.cancelled, 0);
    const overall = all.rows[0];
    return {
      camera: {
        id,
        district: registered?.district ?? overall?.district ?? null,
        lat: registered?.lat ?? null,
        lon: registered?.lon ?? null,
        inRegister: registered !== undefined,
      },
      period: { from: period.from.toISOString(), to: period.to.toISOString(), timeZone: period.timeZone },
      weeks: w,
      adverse: { detections, rejected, cancelled, share: share(rejected + cancelled, detections), allCamerasMedian: overall?.median ?? null, cameras: Number(overall?.cameras ?? 0) },
      officers: officers.rows.map((r) => ({
        officerId: r.officer, reviews: Number(r.confirmed) + Number(r.rejected), confirmations: Number(r.confirmed), rejections: Number(r.rejected), cancellations: Number(r.cancelled),
      })),
      flags,
    };
  }
}
