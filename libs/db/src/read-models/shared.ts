import type pg from 'pg';
import type { FlagBrief } from '@qadaga/contracts/api';

export type { FlagBrief } from '@qadaga/contracts/api';

/** A time range [from, to) and the zone whose calendar weeks and months bucket it. */
export interface Period {
  from: Date;
  to: Date;
  timeZone: string;
}

/** Decisions and actions an officer signs, as counted on every profile. */
export const OFFICER_ACTIONS = ['confirmed', 'rejected', 'cancelled', 'amended'] as const;

/** Buckets in local calendar time: a month as "2026-03", a week by its local Monday "2026-03-02". */
export const LOCAL_MONTH = (column: string, tz: string) => `to_char(date_trunc('month', ${column} AT TIME ZONE ${tz}), 'YYYY-MM')`;
export const LOCAL_WEEK = (column: string, tz: string) => `to_char(date_trunc('week', ${column} AT TIME ZONE ${tz}), 'YYYY-MM-DD')`;

export const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/** Linear interpolation between closest ranks, as PostgreSQL's percentile_cont. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const a = sorted[low] as number;
  const b = sorted[high] as number;
  return a + (b - a) * (position - low);
}

const SEVERITY_RANK = `CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END`;

/**
 * Open (not dismissed) flags matching a condition on the flag table, most severe first.
 * The condition is written by the read models, never from user input; values go as parameters.
 */
export async function openFlags(pool: pg.Pool, condition: string, params: unknown[], limit = 100): Promise<FlagBrief[]> {
  const { rows } = await pool.query<Omit<FlagBrief, 'lastRaisedAt'> & { lastRaisedAt: Date }>(
    `SELECT id, rule_id AS "ruleId", scheme, subject_kind AS "subjectKind", subject_id AS "subjectId", unit, status, severity, score,
       explanation, last_raised_at AS "lastRaisedAt"
     FROM flag WHERE status <> 'dismissed' AND (${condition})
     ORDER BY ${SEVERITY_RANK}, score DESC, id LIMIT ${limit}`,
    params,
  );
  return rows.map((r) => ({ ...r, lastRaisedAt: r.lastRaisedAt.toISOString() }));
}
