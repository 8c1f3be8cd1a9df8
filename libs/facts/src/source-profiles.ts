import { classifyTimePrecision, EVENT_TYPES, type EventType, type SourceProfile } from '@qadaga/domain';
import type { FactWindow, Queryable } from './queryable.js';

/**
 * Every source's profile (libs/domain source-profile.ts) from the events it sent before
 * `asOf`, in one pass. Every lifecycle type is named, so the pass is one range of the
 * type-and-time index per type, read from the index alone (type, occurred_at and source
 * are all in it). Rows are grouped by source, type and time of day to the minute, the
 * time of day kept only for events at a whole minute: at most 1,441 groups per source and
 * type, so the grouping stays in memory however large the ledger.
 *
 * The profile looks further back than the rule's window: what a source is able to say
 * does not change with the window, and a year-long window must not call a source silent
 * on a step it reported 13 months ago. It does not read the whole ledger, though: its
 * history is the window judged or SOURCE_PROFILE_HISTORY_DAYS, whichever is longer, so
 * its cost is bounded by the period judged, not by the years the ledger keeps (a ledger
 * three times as old would otherwise make every sweep's profile three times as slow).
 */
const PROFILE_SQL = `
WITH g AS (
  SELECT e.source, e.type,
    CASE WHEN date_trunc('minute', e.occurred_at) = e.occurred_at
      THEN (extract(hour FROM e.occurred_at AT TIME ZONE 'UTC') * 60 + extract(minute FROM e.occurred_at AT TIME ZONE 'UTC'))::int END AS minute_of_day,
    count(*) AS n, min(e.occurred_at) AS first_at, max(e.occurred_at) AS last_at
  FROM ledger_event e
  WHERE e.type = ANY($1::text[]) AND e.occurred_at >= $3 AND e.occurred_at < $2
  GROUP BY 1, 2, 3
),
per_type AS (
  SELECT source, jsonb_object_agg(type, n) AS types FROM (SELECT source, type, sum(n)::bigint AS n FROM g GROUP BY 1, 2) t GROUP BY source
),
per_minute AS (
  SELECT source, jsonb_object_agg(minute_of_day, n) AS minutes FROM (
    SELECT source, minute_of_day, sum(n)::bigint AS n, row_number() OVER (PARTITION BY source ORDER BY sum(n) DESC, minute_of_day) AS rank
    FROM g WHERE minute_of_day IS NOT NULL GROUP BY 1, 2
  ) m WHERE rank <= 24 GROUP BY source
)
SELECT s.source, s.events, s.whole_minutes, s.first_at, s.last_at, t.types, coalesce(m.minutes, '{}') AS minutes
FROM (
  SELECT source, sum(n)::bigint AS events, coalesce(sum(n) FILTER (WHERE minute_of_day IS NOT NULL), 0)::bigint AS whole_minutes,
    min(first_at) AS first_at, max(last_at) AS last_at
  FROM g GROUP BY source
) s JOIN per_type t ON t.source = s.source LEFT JOIN per_minute m ON m.source = s.source
ORDER BY s.source`;

interface ProfileRow {
  source: string;
  events: string;
  whole_minutes: string;
  first_at: Date;
  last_at: Date;
  types: Record<string, number | string>;
  /** The most common minutes of the day (UTC) of the whole-minute events, with their counts. */
  minutes: Record<string, number | string>;
}

/**
 * The events at the most common time of day, plus those at the most common time an hour
 * from it (a local midnight on either side of a daylight-saving change).
 */
export function atCommonTimeOfDay(minutes: ReadonlyMap<number, number>): number {
  let best = -1;
  let bestCount = 0;
  for (const [minute, count] of minutes) if (count > bestCount || (count === bestCount && minute < best)) [best, bestCount] = [minute, count];
  if (best < 0) return 0;
  const beside = [(best + 60) % 1440, (best + 1380) % 1440].map((m) => minutes.get(m) ?? 0);
  return bestCount + Math.max(...beside);
}

/**
 * The least history a profile reads: two years, twice the longest window of the rule pack,
 * so that a step a source reports once a year or less is still seen. A source that has
 * not sent a step in that long is taken not to report it.
 */
export const SOURCE_PROFILE_HISTORY_DAYS = 730;

const DAY_MS = 86_400_000;

/** Days of history a profile reads to judge a window of `windowDays`. */
export function profileHistoryDays(windowDays: number): number {
  return Math.max(SOURCE_PROFILE_HISTORY_DAYS, Math.ceil(windowDays));
}

/** The profiles given, or, when the caller has none at hand, those of the ledger as it stood at the window's end. */
export async function profilesOr(db: Queryable, window: FactWindow, given: readonly SourceProfile[] | undefined): Promise<readonly SourceProfile[]> {
  return given ?? (await sourceProfiles(db, window.to, profileHistoryDays((window.to.getTime() - window.from.getTime()) / DAY_MS)));
}

/** Every source's profile from the events it sent in the `historyDays` before `asOf`. */
export async function sourceProfiles(db: Queryable, asOf: Date, historyDays: number = SOURCE_PROFILE_HISTORY_DAYS): Promise<SourceProfile[]> {
  const since = new Date(asOf.getTime() - historyDays * DAY_MS);
  const { rows } = await db.query<ProfileRow>(PROFILE_SQL, [EVENT_TYPES, asOf, since]);
  return rows.map((r) => {
    const events = Number(r.events);
    const minutes = new Map(Object.entries(r.minutes).map(([m, n]) => [Number(m), Number(n)]));
    const time = { events, wholeMinutes: Number(r.whole_minutes), atCommonTimeOfDay: atCommonTimeOfDay(minutes) };
    const eventTypes: Partial<Record<EventType, number>> = {};
    for (const type of EVENT_TYPES) if (r.types[type] !== undefined) eventTypes[type] = Number(r.types[type]);
    return { source: r.source, eventTypes, events, time, precision: classifyTimePrecision(time), firstAt: r.first_at.toISOString(), lastAt: r.last_at.toISOString() };
  });
}
