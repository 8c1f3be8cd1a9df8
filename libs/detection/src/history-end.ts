import type pg from 'pg';
import { EVENT_TYPES } from '@qadaga/domain';

/** Where the instant a sweep judges came from: said in its result, so nobody has to guess. */
export type AsOfBasis = 'given' | 'history-end' | 'now';

export interface SweepInstant {
  asOf: Date;
  basis: AsOfBasis;
  /** The latest occurred_at in the ledger, when it holds any event. */
  historyEnd: Date | null;
}

/**
 * The latest occurred_at in the ledger: per type the last entry of the type-and-time
 * index, so a lookup rather than a scan however large the ledger.
 */
export async function historyEnd(db: Pick<pg.Pool, 'query'>): Promise<Date | null> {
  const { rows } = await db.query<{ last: Date | null }>(
    `SELECT max(x.last) AS last FROM unnest($1::text[]) AS t(type)
     CROSS JOIN LATERAL (SELECT max(e.occurred_at) AS last FROM ledger_event e WHERE e.type = t.type) x`,
    [EVENT_TYPES],
  );
  return rows[0]?.last ?? null;
}

/**
 * The instant a sweep judges when none is given: the end of the history the ledger holds,
 * not the wall clock. An imported history that ended months ago, judged "now", falls out
 * of every window and raises nothing; judged at its own end it is judged as it stood. The
 * window's end is exclusive, so the instant is a millisecond past the last event (which
 * is then judged), and never later than now: a live ledger is judged now, as before.
 */
export async function sweepInstant(db: Pick<pg.Pool, 'query'>, given?: string, now: Date = new Date()): Promise<SweepInstant> {
  const end = await historyEnd(db);
  if (given !== undefined) {
    const asOf = new Date(given);
    if (Number.isNaN(asOf.getTime())) throw new Error(`asOf: not an instant: ${given}`);
    return { asOf, basis: 'given', historyEnd: end };
  }
  if (end === null) return { asOf: now, basis: 'now', historyEnd: null };
  const past = new Date(end.getTime() + 1);
  return past < now ? { asOf: past, basis: 'history-end', historyEnd: end } : { asOf: now, basis: 'now', historyEnd: end };
}
