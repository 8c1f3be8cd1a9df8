import type { Queryable } from './queryable.js';

/**
 * What should have happened to a violation and did not, as of the end of the window:
 * a review after the detection, a notice after the confirmation, a delivery after the
 * notice. One GROUP BY over the violations' events (set-based, never per event in
 * JavaScript), counting only events that occurred before the end of the window, so a
 * backtest sees the ledger as it stood then.
 *
 * A decision (confirmation, rejection, cancellation) ends the wait for a review; an
 * expiry does not make up for one, so a detection that expired unreviewed is counted as
 * having waited until its expiry (it is also judged per officer by the
 * sitting-until-expiry rule). An expiry or a cancellation ends the wait for a notice, and
 * a payment proves the notice reached the owner.
 */
const STALL_AGGREGATES = `
    min(e.occurred_at) FILTER (WHERE e.type = 'detected' AND e.occurred_at < $2) AS detected_at,
    max(e.occurred_at) FILTER (WHERE e.type = 'detected' AND e.occurred_at < $2) AS last_detected_at,
    coalesce(bool_or(e.type IN ('confirmed', 'rejected', 'cancelled')) FILTER (WHERE e.occurred_at < $2), false) AS decided,
    min(e.occurred_at) FILTER (WHERE e.type = 'confirmed' AND e.occurred_at < $2) AS confirmed_at,
    min(e.occurred_at) FILTER (WHERE e.type = 'notice_issued' AND e.occurred_at < $2) AS notice_at,
    coalesce(bool_or(e.type = 'notice_delivered') FILTER (WHERE e.occurred_at < $2), false) AS delivered,
    coalesce(bool_or(e.type = 'paid') FILTER (WHERE e.occurred_at < $2), false) AS paid,
    coalesce(bool_or(e.type = 'cancelled') FILTER (WHERE e.occurred_at < $2), false) AS cancelled,
    min(e.occurred_at) FILTER (WHERE e.type = 'expired' AND e.occurred_at < $2) AS expired_at`;

/** The waits of one violation from its aggregates (`agg`), as of $2, in whole days. */
const STALL_DAYS = `
    coalesce(floor(extract(epoch FROM coalesce(agg.expired_at, $2) - CASE WHEN agg.detected_at IS NOT NULL AND NOT agg.decided THEN agg.detected_at END) / 86400), 0) AS days_unreviewed,
    coalesce(floor(extract(epoch FROM $2 - CASE WHEN agg.confirmed_at IS NOT NULL AND agg.notice_at IS NULL AND NOT agg.cancelled AND agg.expired_at IS NULL
                                                THEN agg.confirmed_at END) / 86400), 0) AS days_unnoticed,
    coalesce(floor(extract(epoch FROM $2 - CASE WHEN agg.notice_at IS NOT NULL AND NOT agg.delivered AND NOT agg.paid AND NOT agg.cancelled
                                                THEN agg.notice_at END) / 86400), 0) AS days_undelivered`;

/** The dates of its steps (`agg`), in the time zone $3. */
const STALL_DATES = `
    to_char(agg.detected_at AT TIME ZONE $3, 'YYYY-MM-DD') AS detected_on,
    to_char(agg.confirmed_at AT TIME ZONE $3, 'YYYY-MM-DD') AS confirmed_on,
    to_char(agg.notice_at AT TIME ZONE $3, 'YYYY-MM-DD') AS notice_on`;

/**
 * The violations the violation rules of the catalogue have something to judge in, for
 * every window ending at $2 (their starts in $4), from one pass over the ledger grouped
 * by violation. A violation is a candidate in a window when, in it:
 * - it was detected and has waited at least a day (the smallest limit a rule may set) for
 *   its next step;
 * - it was cancelled, or its plate amended;
 * - the register recorded a payment (sources $5) that the treasury (sources $6) has not,
 *   from 30 days before the window on, recorded at all.
 * Each row is one candidate in one window ("w", its position in $4 from 1) with its waits:
 * the facts of a violation depend on the end of the window only. The pass reads every
 * event once; it used to be a scan for the detections of the window, an aggregate over
 * their violations' events, and per window two more scans of cancellations and payments.
 */
export const CANDIDATES_WITH_STALLS_SQL = `
WITH agg AS (
  SELECT e.violation_ref AS ref,${STALL_AGGREGATES},
    max(e.occurred_at) FILTER (WHERE e.occurred_at >= $1 AND e.occurred_at < $2
      AND (e.type = 'cancelled' OR (e.type = 'amended' AND e.payload->>'field' = 'plate'))) AS touched_at,
    max(e.occurred_at) FILTER (WHERE e.type = 'paid' AND e.occurred_at >= $1 AND e.occurred_at < $2 AND e.source = ANY($5::text[])) AS register_paid_at,
    max(e.occurred_at) FILTER (WHERE e.type = 'paid' AND e.occurred_at >= $1 - interval '30 days' AND e.source = ANY($6::text[])) AS treasury_paid_at
  FROM ledger_event e
  -- The types the aggregates read: assignments, appeals and referrals (a fifth of the
  -- ledger) never reach the hash table.
  WHERE e.type IN ('detected', 'confirmed', 'rejected', 'cancelled', 'amended', 'notice_issued', 'notice_delivered', 'paid', 'expired')
  GROUP BY e.violation_ref
),
waits AS (
  SELECT agg.*,${STALL_DAYS}
  FROM agg
  WHERE agg.last_detected_at >= $1 OR agg.touched_at IS NOT NULL OR agg.register_paid_at IS NOT NULL
)
-- Dates are formatted only for the candidates, after the join.
SELECT agg.ref, agg.days_unreviewed, agg.days_unnoticed, agg.days_undelivered,${STALL_DATES}, w.i::int AS w
FROM waits agg JOIN unnest($4::timestamptz[]) WITH ORDINALITY AS w(start, i)
  ON (agg.last_detected_at >= w.start AND greatest(agg.days_unreviewed, agg.days_unnoticed, agg.days_undelivered) >= 1)
  OR agg.touched_at >= w.start
  OR (agg.register_paid_at >= w.start AND (agg.treasury_paid_at IS NULL OR agg.treasury_paid_at < w.start - interval '30 days'))`;

/** The waits of the given violations ($1), as of $2. */
const STALL_FACTS_SQL = `
WITH agg AS (
  SELECT e.violation_ref AS ref,${STALL_AGGREGATES}
  FROM ledger_event e
  WHERE e.violation_ref = ANY($1::text[]) AND e.occurred_at < $2
  GROUP BY e.violation_ref
)
SELECT agg.ref,${STALL_DAYS},${STALL_DATES}
FROM agg`;

export interface StallRow {
  ref: string;
  days_unreviewed: string;
  days_unnoticed: string;
  days_undelivered: string;
  detected_on: string | null;
  confirmed_on: string | null;
  notice_on: string | null;
}

export interface StallFacts {
  daysUnreviewed: number;
  daysConfirmedWithoutNotice: number;
  daysNoticeUndelivered: number;
  detectedOn: string | null;
  confirmedOn: string | null;
  noticeOn: string | null;
}

export function toStallFacts(r: StallRow): StallFacts {
  return {
    daysUnreviewed: Number(r.days_unreviewed),
    daysConfirmedWithoutNotice: Number(r.days_unnoticed),
    daysNoticeUndelivered: Number(r.days_undelivered),
    detectedOn: r.detected_on,
    confirmedOn: r.confirmed_on,
    noticeOn: r.notice_on,
  };
}

export async function stallFacts(db: Queryable, refs: readonly string[], asOf: Date, timeZone: string): Promise<Map<string, StallFacts>> {
  const { rows } = await db.query<StallRow>(STALL_FACTS_SQL, [refs, asOf, timeZone]);
  return new Map(rows.map((r) => [r.ref, toStallFacts(r)]));
}
