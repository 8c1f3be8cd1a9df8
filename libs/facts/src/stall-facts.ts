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
function stallSql(scope: string): string {
  return `
WITH agg AS (
  SELECT e.violation_ref AS ref,
    min(e.occurred_at) FILTER (WHERE e.type = 'detected') AS detected_at,
    max(e.occurred_at) FILTER (WHERE e.type = 'detected') AS last_detected_at,
    bool_or(e.type IN ('confirmed', 'rejected', 'cancelled')) AS decided,
    min(e.occurred_at) FILTER (WHERE e.type = 'confirmed') AS confirmed_at,
    min(e.occurred_at) FILTER (WHERE e.type = 'notice_issued') AS notice_at,
    bool_or(e.type = 'notice_delivered') AS delivered,
    bool_or(e.type = 'paid') AS paid,
    bool_or(e.type = 'cancelled') AS cancelled,
    min(e.occurred_at) FILTER (WHERE e.type = 'expired') AS expired_at
  FROM ledger_event e
  WHERE ${scope} AND e.occurred_at < $2
  GROUP BY e.violation_ref
),
stall AS (
  SELECT ref,
    CASE WHEN detected_at IS NOT NULL AND NOT decided THEN detected_at END AS unreviewed_since,
    coalesce(expired_at, $2) AS waited_until,
    CASE WHEN confirmed_at IS NOT NULL AND notice_at IS NULL AND NOT cancelled AND expired_at IS NULL THEN confirmed_at END AS unnoticed_since,
    CASE WHEN notice_at IS NOT NULL AND NOT delivered AND NOT paid AND NOT cancelled THEN notice_at END AS undelivered_since
  FROM agg
)
SELECT ref,
  coalesce(floor(extract(epoch FROM waited_until - unreviewed_since) / 86400), 0) AS days_unreviewed,
  coalesce(floor(extract(epoch FROM $2 - unnoticed_since) / 86400), 0) AS days_unnoticed,
  coalesce(floor(extract(epoch FROM $2 - undelivered_since) / 86400), 0) AS days_undelivered,
  to_char(detected_at AT TIME ZONE $3, 'YYYY-MM-DD') AS detected_on,
  to_char(confirmed_at AT TIME ZONE $3, 'YYYY-MM-DD') AS confirmed_on,
  to_char(notice_at AT TIME ZONE $3, 'YYYY-MM-DD') AS notice_on,
  last_detected_at
FROM stall JOIN agg USING (ref)`;
}

const DETECTED_IN_WINDOW = `e.violation_ref IN (SELECT d.violation_ref FROM ledger_event d WHERE d.type = 'detected' AND d.occurred_at >= $1 AND d.occurred_at < $2)`;

/** Violations detected in the window that waited at least a day for their next step: the smallest limit a rule may set. */
export const STALL_CANDIDATES_SQL = `
SELECT ref FROM (${stallSql(DETECTED_IN_WINDOW)}) s
WHERE greatest(days_unreviewed, days_unnoticed, days_undelivered) >= 1`;

/**
 * The same candidates with their last detection before the end of the window: a shorter
 * window ending at the same instant holds those last detected at or after its start, so
 * the widest window's one pass serves every window of a sweep.
 */
export const STALL_CANDIDATES_LAST_DETECTED_SQL = `
SELECT ref, last_detected_at FROM (${stallSql(DETECTED_IN_WINDOW)}) s
WHERE greatest(days_unreviewed, days_unnoticed, days_undelivered) >= 1`;

const STALL_FACTS_SQL = stallSql('e.violation_ref = ANY($1::text[])');

interface StallRow {
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

export async function stallFacts(db: Queryable, refs: readonly string[], asOf: Date, timeZone: string): Promise<Map<string, StallFacts>> {
  const { rows } = await db.query<StallRow>(STALL_FACTS_SQL, [refs, asOf, timeZone]);
  const out = new Map<string, StallFacts>();
  for (const r of rows) {
    out.set(r.ref, {
      daysUnreviewed: Number(r.days_unreviewed),
      daysConfirmedWithoutNotice: Number(r.days_unnoticed),
      daysNoticeUndelivered: Number(r.days_undelivered),
      detectedOn: r.detected_on,
      confirmedOn: r.confirmed_on,
      noticeOn: r.notice_on,
    });
  }
  return out;
}
