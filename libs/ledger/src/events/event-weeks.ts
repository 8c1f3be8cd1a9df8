import type pg from 'pg';
import { joinEventByKey } from '@qadaga/db';

/**
 * The ISO week (its Monday, YYYY-MM-DD, in `timeZone`) of each event named by an evidence
 * key `source|event_id`, for the events that occurred in [from, to). Keys of events outside
 * the range or not in the ledger are left out. Pass the keys sorted, so the index lookups
 * walk (source, event_id) in order.
 */
export async function weeksOfEvents(pool: pg.Pool, keys: readonly string[], range: { from: Date; to: Date }, timeZone: string): Promise<{ key: string; week: string }[]> {
  const { rows } = await pool.query<{ key: string; week: string }>(
    `SELECT k.key, to_char(date_trunc('week', e.occurred_at AT TIME ZONE $4), 'YYYY-MM-DD') AS week
     FROM unnest($1::text[]) AS k(key)
     ${joinEventByKey("split_part(k.key, '|', 1)", "substr(k.key, length(split_part(k.key, '|', 1)) + 2)")}
     WHERE e.occurred_at >= $2 AND e.occurred_at < $3`,
    [keys, range.from, range.to, timeZone],
  );
  return rows;
}

/** How many events the ledger holds from sources other than these. */
export async function eventsOutsideSources(pool: Pick<pg.Pool, 'query'>, sources: readonly string[]): Promise<number> {
  const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM ledger_event WHERE source <> ALL($1::text[])', [sources]);
  return Number(rows[0]?.n ?? 0);
}
