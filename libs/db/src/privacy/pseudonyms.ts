import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { PseudonymKind } from '@qadaga/contracts/api';

export type { PseudonymKind } from '@qadaga/contracts/api';

/**
 * Stable pseudonyms for roles that judge patterns, not people. A pseudonym is random
 * (not a hash of the value, which could be reversed by hashing every plate) and stored
 * once per value, so the same officer keeps the same pseudonym everywhere.
 */
export class PseudonymRepository {
  constructor(private readonly pool: pg.Pool) {}

  async pseudonymsFor(kind: PseudonymKind, values: readonly string[]): Promise<Map<string, string>> {
    const named = new Map<string, string>();
    let missing = [...new Set(values)];
    // A fresh pseudonym that collides with a taken one is skipped by the insert; try again.
    for (let attempt = 0; attempt < 3 && missing.length > 0; attempt++) {
      await this.pool.query(
        `INSERT INTO pseudonym (pseudonym, kind, value) SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING`,
        [missing.map(() => `${kind}~${randomBytes(5).toString('hex')}`), missing.map(() => kind), missing],
      );
      const { rows } = await this.pool.query<{ value: string; pseudonym: string }>(
        'SELECT value, pseudonym FROM pseudonym WHERE kind = $1 AND value = ANY($2::text[])',
        [kind, missing],
      );
      for (const r of rows) named.set(r.value, r.pseudonym);
      missing = missing.filter((v) => !named.has(v));
    }
    if (missing.length > 0) throw new Error(`could not name ${missing.length} ${kind} pseudonyms`);
    return named;
  }

  async reveal(pseudonym: string): Promise<{ kind: PseudonymKind; value: string } | null> {
    const { rows } = await this.pool.query<{ kind: PseudonymKind; value: string }>('SELECT kind, value FROM pseudonym WHERE pseudonym = $1', [pseudonym]);
    return rows[0] ?? null;
  }
}
