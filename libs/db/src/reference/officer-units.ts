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

/** The roster as pickers read it: officers by id with their unit, and every unit. */
export class Roster {
  constructor(private readonly pool: pg.Pool) {}

  /** Officers whose id starts with `prefix` (all when empty), by id, at most `limit`; units are all of them. */
  async read(options: { prefix?: string; excludeSubjects?: readonly string[]; limit: number }): Promise<{ officers: { id: string; unit: string }[]; units: string[]; withheld: number }> {
    const exclude = [...(options.excludeSubjects ?? [])];
    const like = `${(options.prefix ?? '').replace(/[\\%_]/gu, (c) => `\\${c}`)}%`;
    const { rows } = await this.pool.query<{ id: string | null; unit: string; withheld: number }>(
      `WITH picked AS (SELECT id, unit, (id = ANY($2::text[]) OR unit = ANY($2::text[])) AS recused FROM officer WHERE id ILIKE $1)
       SELECT id, unit, 0 AS withheld FROM (SELECT id, unit FROM picked WHERE NOT recused ORDER BY id LIMIT $3) o
       UNION ALL SELECT NULL, unit, 0 FROM (SELECT DISTINCT unit FROM officer WHERE NOT unit = ANY($2::text[])) u
       UNION ALL SELECT NULL, '', (SELECT count(*)::int FROM picked WHERE recused) + (SELECT count(DISTINCT unit)::int FROM officer WHERE unit = ANY($2::text[]))`,
      [like, exclude, options.limit],
    );
    const officers = rows.filter((r) => r.id !== null).map((r) => ({ id: r.id as string, unit: r.unit }));
    const units = rows.filter((r) => r.id === null && r.unit !== '').map((r) => r.unit).sort();
    const withheld = rows.find((r) => r.id === null && r.unit === '')?.withheld ?? 0;
    return { officers, units, withheld };
  }
}
