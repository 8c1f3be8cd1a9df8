import type pg from 'pg';
import type { OfficerIdentity, OfficerMonth, OfficerProfile, PeerMonth } from '@qadaga/contracts/api';
import { LOCAL_MONTH, OFFICER_ACTIONS, openFlags, quantile, share, type Period } from './shared.js';

export type { OfficerIdentity, OfficerMonth, OfficerProfile, PeerMonth } from '@qadaga/contracts/api';

interface CountRow {
  officer: string;
  month: string;
  confirmations: string;
  rejections: string;
  cancellations: string;
  amendments: string;
}

/**
 * Monthly action counts of the officer and of every peer of the unit in one grouped
 * scan of the actor-time index; peers are the roster's officers of the unit or, for an
 * officer the roster does not know, the actors who signed with that unit.
 */
const COUNTS_SQL = `
WITH peers AS (
  SELECT id FROM officer WHERE unit = $2
  UNION SELECT $1
  UNION SELECT DISTINCT e.actor_id FROM ledger_event e
  WHERE NOT $6::boolean AND e.actor_unit = $2 AND e.type = ANY($7::text[]) AND e.occurred_at >= $3 AND e.occurred_at < $4
)
SELECT e.actor_id AS officer, ${LOCAL_MONTH('e.occurred_at', '$5')} AS month,
  count(*) FILTER (WHERE e.type = 'confirmed') AS confirmations,
  count(*) FILTER (WHERE e.type = 'rejected') AS rejections,
  count(*) FILTER (WHERE e.type = 'cancelled') AS cancellations,
  count(*) FILTER (WHERE e.type = 'amended') AS amendments
FROM ledger_event e JOIN peers p ON p.id = e.actor_id
WHERE e.occurred_at >= $3 AND e.occurred_at < $4 AND e.type = ANY($7::text[])
GROUP BY 1, 2`;

function toMonth(r: CountRow): OfficerMonth {
  const confirmations = Number(r.confirmations);
  const rejections = Number(r.rejections);
  const cancellations = Number(r.cancellations);
  const reviews = confirmations + rejections;
  return { month: r.month, reviews, confirmations, rejections, cancellations, amendments: Number(r.amendments), adverseRate: share(rejections + cancellations, reviews) };
}

export class OfficerProfileRepository {
  constructor(private readonly pool: pg.Pool) {}

  /** The roster's record, or the unit the officer last signed with; null when neither knows the id. */
  async identify(id: string): Promise<OfficerIdentity | null> {
    const roster = await this.pool.query<{ unit: string; role: string }>('SELECT unit, role FROM officer WHERE id = $1', [id]);
    const known = roster.rows[0];
    if (known !== undefined) return { id, unit: known.unit, role: known.role, inRoster: true };
    const seen = await this.pool.query<{ unit: string | null }>(
      `SELECT actor_unit AS unit FROM ledger_event WHERE actor_id = $1 AND actor_kind IN ('officer', 'supervisor')
       ORDER BY (actor_unit IS NULL), occurred_at DESC LIMIT 1`,
      [id],
    );
    const row = seen.rows[0];
    return row === undefined ? null : { id, unit: row.unit, role: null, inRoster: false };
  }

  async profile(officer: OfficerIdentity, period: Period, recentLimit = 20): Promise<OfficerProfile> {
    const [counts, recent, flags] = await Promise.all([
      this.pool.query<CountRow>(COUNTS_SQL, [officer.id, officer.unit ?? '', period.from, period.to, period.timeZone, officer.inRoster, OFFICER_ACTIONS]),
      this.pool.query<{ ref: string; plate: string | null; status: string | null; action: string; at: Date }>(
        `SELECT e.violation_ref AS ref, v.plate, v.status, e.type AS action, e.occurred_at AS at
         FROM ledger_event e LEFT JOIN violation v ON v.ref = e.violation_ref
         WHERE e.actor_id = $1 AND e.occurred_at >= $2 AND e.occurred_at < $3 AND e.type = ANY($4::text[])
         ORDER BY e.occurred_at DESC, e.id DESC LIMIT ${recentLimit}`,
        [officer.id, period.from, period.to, OFFICER_ACTIONS],
      ),
      openFlags(this.pool, `(subject_kind = 'officer' AND subject_id = $1) OR (subject_kind = 'officer_vehicle' AND split_part(subject_id, '|', 1) = $1)`, [officer.id]),
    ]);
    const byMonth = (a: { month: string }, b: { month: string }) => a.month.localeCompare(b.month);
    const months = counts.rows.filter((r) => r.officer === officer.id).map(toMonth).sort(byMonth);
    const peerRates = new Map<string, number[]>();
    for (const row of counts.rows) {
      if (row.officer === officer.id) continue;
      const m = toMonth(row);
      if (m.adverseRate === null) continue;
      peerRates.set(m.month, [...(peerRates.get(m.month) ?? []), m.adverseRate]);
    }
    const peerMonths: PeerMonth[] = [...peerRates.entries()]
      .map(([month, rates]) => {
        const sorted = [...rates].sort((a, b) => a - b);
        return { month, peers: sorted.length, p25: quantile(sorted, 0.25), median: quantile(sorted, 0.5), p75: quantile(sorted, 0.75) };
      })
      .sort(byMonth);
    const last = peerMonths.at(-1);
    return {
      officer,
      period: { from: period.from.toISOString(), to: period.to.toISOString(), timeZone: period.timeZone },
      months,
      peers: {
        unit: officer.unit,
        months: peerMonths,
        latest:
          last === undefined
            ? null
            : {
                month: last.month,
                peerRates: [...(peerRates.get(last.month) ?? [])].sort((a, b) => a - b),
                officerRate: months.find((m) => m.month === last.month)?.adverseRate ?? null,
              },
      },
      recent: recent.rows.map((r) => ({ ...r, at: r.at.toISOString() })),
      flags,
    };
  }
}
