import type pg from 'pg';

/**
 * The unit each officer serves in, as the roster says: what recusal needs to withhold the
 * work of a whole unit where an answer names only officers.
 */
export class OfficerUnits {
  constructor(private readonly pool: pg.Pool) {}

  /** Units of the officers the roster knows; officers it does not know are left out. */
  async of(officerIds: Iterable<string>): Promise<Map<string, string | null>> {
    const ids = [...new Set(officerIds)];
    if (ids.length === 0) return new Map();
    const { rows } = await this.pool.query<{ id: string; unit: string | null }>('SELECT id, unit FROM officer WHERE id = ANY($1::text[])', [ids]);
    return new Map(rows.map((r) => [r.id, r.unit]));
  }
}
