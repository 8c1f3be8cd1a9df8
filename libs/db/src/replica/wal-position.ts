import type pg from 'pg';

/**
 * The primary's WAL position now (pg_current_wal_lsn, as text): what a replica must have
 * replayed to hold everything committed so far. Both a person's last write (ReadRouting)
 * and the moment a sweep fixes its instant (ReplicaCatchUp) are marked by it.
 */
export async function primaryWalPosition(primary: Pick<pg.Pool, 'query'>): Promise<string | null> {
  const { rows } = await primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
  return rows[0]?.lsn ?? null;
}
