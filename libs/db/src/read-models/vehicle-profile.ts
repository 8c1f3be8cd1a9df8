import type pg from 'pg';
import { plateKey } from '@qadaga/domain';
import type { VehicleProfileData } from '@qadaga/contracts/api';
import { LOCAL_MONTH, OFFICER_ACTIONS, openFlags } from './shared.js';

/** A vehicle's profile before the API withholds what the reader is recused from. */
export type VehicleProfile = VehicleProfileData;

/**
 * One vehicle across all of its violations, however its plate was typed: everything is
 * found through the plate-key index of the projection, then the events of those
 * violations through the ledger's violation index.
 */
export class VehicleProfileRepository {
  constructor(private readonly pool: pg.Pool) {}

  /** Null when neither the ledger nor the register knows the plate. */
  async profile(received: string, timeZone: string): Promise<VehicleProfile | null> {
    const key = plateKey(received);
    const [months, seen, registered, cancellations, officers] = await Promise.all([
      this.pool.query<{ month: string | null; status: string; n: string }>(
        `SELECT ${LOCAL_MONTH('detected_at', '$2')} AS month, status, count(*) AS n
         FROM violation WHERE plate_key = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
        [key, timeZone],
      ),
      this.pool.query<{ plate: string }>(
        `SELECT DISTINCT p AS plate FROM violation v, unnest(ARRAY[v.plate, v.detected_plate]) AS p
         WHERE v.plate_key = $1 AND p IS NOT NULL ORDER BY 1 LIMIT 50`,
        [key],
      ),
      this.pool.query<{ plate: string; kind: string }>('SELECT plate, kind FROM vehicle WHERE plate_key = $1', [key]),
      this.pool.query<{ ref: string; at: Date; recorded_at: Date | null; officer: string; unit: string | null; reason: string | null; basis: string | null }>(
        `SELECT e.violation_ref AS ref, e.occurred_at AS at, e.recorded_at, e.actor_id AS officer, e.actor_unit AS unit,
           e.payload->>'reasonCode' AS reason, e.payload->>'legalBasis' AS basis
         FROM violation v JOIN ledger_event e ON e.violation_ref = v.ref
         WHERE v.plate_key = $1 AND e.type = 'cancelled' ORDER BY e.occurred_at DESC LIMIT 500`,
        [key],
      ),
      this.pool.query<{ officer: string; unit: string | null; confirmed: string; rejected: string; cancelled: string; amended: string }>(
        `SELECT e.actor_id AS officer, max(e.actor_unit) AS unit,
           count(*) FILTER (WHERE e.type = 'confirmed') AS confirmed, count(*) FILTER (WHERE e.type = 'rejected') AS rejected,
           count(*) FILTER (WHERE e.type = 'cancelled') AS cancelled, count(*) FILTER (WHERE e.type = 'amended') AS amended
         FROM violation v JOIN ledger_event e ON e.violation_ref = v.ref
         WHERE v.plate_key = $1 AND e.actor_kind IN ('officer', 'supervisor') AND e.type = ANY($2::text[])
         GROUP BY e.actor_id ORDER BY count(*) DESC, e.actor_id LIMIT 100`,
        [key, OFFICER_ACTIONS],
      ),
    ]);
    if (months.rows.length === 0 && registered.rows.length === 0) return null;
    const flags = await openFlags(
      this.pool,
      `(subject_kind = 'vehicle' AND subject_id = $1) OR (subject_kind = 'officer_vehicle' AND split_part(subject_id, '|', 2) = $1)
       OR (subject_kind = 'violation' AND subject_id IN (SELECT ref FROM violation WHERE plate_key = $1))`,
      [key],
    );
    const byMonth = new Map<string, { month: string; total: number; byStatus: Record<string, number> }>();
    const byStatus: Record<string, number> = {};
    for (const r of months.rows) {
      const month = r.month ?? 'undated';
      const bucket = byMonth.get(month) ?? { month, total: 0, byStatus: {} };
      bucket.byStatus[r.status] = Number(r.n);
      bucket.total += Number(r.n);
      byMonth.set(month, bucket);
      byStatus[r.status] = (byStatus[r.status] ?? 0) + Number(r.n);
    }
    const vehicle = registered.rows[0];
    return {
      plate: { received, plateKey: key, seenAs: seen.rows.map((r) => r.plate) },
      registered: vehicle === undefined ? null : { plate: vehicle.plate, kind: vehicle.kind },
      totals: { violations: Object.values(byStatus).reduce((a, b) => a + b, 0), byStatus },
      months: [...byMonth.values()],
      cancellations: cancellations.rows.map((r) => ({
        ref: r.ref, at: r.at.toISOString(), recordedAt: r.recorded_at?.toISOString() ?? null, officerId: r.officer, unit: r.unit, reasonCode: r.reason, legalBasis: r.basis,
      })),
      officers: officers.rows.map((r) => ({
        officerId: r.officer, unit: r.unit, confirmations: Number(r.confirmed), rejections: Number(r.rejected), cancellations: Number(r.cancelled), amendments: Number(r.amended),
      })),
      flags,
    };
  }
}
