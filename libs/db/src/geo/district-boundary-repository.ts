import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import type { DistrictGeometry, DistrictNames, PublicDistricts } from '@qadaga/contracts/api';
import { inTransaction } from '../transaction.js';
import { parseBoundaryFile, type BoundarySet, type DistrictBoundary } from './district-geojson.js';
import { DistrictResolver } from './district-resolver.js';

/** Almaty's districts from OpenStreetMap (ODbL), shipped with the product for the demo and a first install; see geo/README.md. */
export const BUNDLED_BOUNDARY_FILE = fileURLToPath(new URL('../../geo/almaty-districts.geojson', import.meta.url));

export function bundledBoundaries(): BoundarySet {
  return parseBoundaryFile(readFileSync(BUNDLED_BOUNDARY_FILE, 'utf8'));
}

const OSM_COPYRIGHT = 'https://www.openstreetmap.org/copyright';

export interface StoredBoundaries extends BoundarySet {
  loadedAt: Date | null;
}

interface Row {
  id: string;
  name_ru: string | null;
  name_kk: string | null;
  name_en: string | null;
  aliases: string[];
  geometry: DistrictGeometry;
  bbox: number[];
  attribution: string | null;
  licence: string | null;
  loaded_at: Date;
}

/** The city's district boundaries: replaced as a whole set, read by the public map and the figures. */
export class DistrictBoundaryRepository {
  constructor(private readonly pool: pg.Pool) {}

  /** Replaces every boundary with the set's, in one transaction: readers see the old set or the new, never a mix. */
  async replace(set: BoundarySet): Promise<{ loaded: number; removed: number }> {
    return inTransaction(this.pool, async (client) => {
      // One loader at a time: two operators loading at once end with one of the two sets, not both.
      await client.query('LOCK TABLE district_boundary IN EXCLUSIVE MODE');
      const removed = await client.query('DELETE FROM district_boundary');
      await client.query(
        `INSERT INTO district_boundary (id, name_ru, name_kk, name_en, aliases, geometry, bbox, attribution, licence)
         SELECT b.id, b.names->>'ru', b.names->>'kk', b.names->>'en', ARRAY(SELECT jsonb_array_elements_text(b.aliases)),
           b.geometry, ARRAY(SELECT jsonb_array_elements_text(b.bbox)::float8), $2, $3
         FROM jsonb_to_recordset($1::jsonb) AS b(id text, names jsonb, aliases jsonb, geometry jsonb, bbox jsonb)`,
        [JSON.stringify(set.boundaries), set.attribution, set.licence],
      );
      return { loaded: set.boundaries.length, removed: removed.rowCount ?? 0 };
    });
  }

  async list(): Promise<StoredBoundaries> {
    const { rows } = await this.pool.query<Row>('SELECT * FROM district_boundary ORDER BY id');
    const boundaries: DistrictBoundary[] = rows.map((r) => ({
      id: r.id,
      names: { ru: r.name_ru, kk: r.name_kk, en: r.name_en } satisfies DistrictNames,
      aliases: r.aliases,
      geometry: r.geometry,
      bbox: [r.bbox[0] ?? 0, r.bbox[1] ?? 0, r.bbox[2] ?? 0, r.bbox[3] ?? 0],
    }));
    return { boundaries, attribution: rows[0]?.attribution ?? null, licence: rows[0]?.licence ?? null, loadedAt: rows[0]?.loaded_at ?? null };
  }

  async resolver(): Promise<DistrictResolver> {
    return new DistrictResolver((await this.list()).boundaries);
  }
}

/** The boundaries as the public endpoint answers them: a FeatureCollection, with the credit their licence asks for. */
export function publicDistricts(stored: BoundarySet): PublicDistricts {
  const attribution = stored.attribution;
  return {
    type: 'FeatureCollection',
    features: stored.boundaries.map((b) => ({ type: 'Feature', id: b.id, geometry: b.geometry, properties: { id: b.id, name: b.names } })),
    attribution,
    attributionUrl: attribution !== null && /openstreetmap/iu.test(attribution) ? OSM_COPYRIGHT : null,
    licence: stored.licence,
  };
}
