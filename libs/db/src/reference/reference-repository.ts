import type pg from 'pg';
import { inTransaction } from '../transaction.js';
import { plateKey, type ReferenceData } from '@qadaga/domain';
import type { ReferenceLoadCounts } from '@qadaga/contracts/api';

/**
 * Loads reference data (sources, officers, vehicles, cameras, dispatches) as the owning
 * systems export it. Each list is upserted whole in one statement from one JSON
 * parameter; loading the same export twice changes nothing.
 */
export class ReferenceRepository {
  constructor(private readonly pool: pg.Pool) {}

  async load(data: ReferenceData): Promise<ReferenceLoadCounts> {
    await inTransaction(this.pool, async (client) => {
      await client.query(
        `INSERT INTO source_system (code, name, kind) SELECT code, name, kind FROM jsonb_to_recordset($1::jsonb) AS s(code text, name text, kind text)
         ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind`,
        [JSON.stringify(data.sources)],
      );
      await client.query(
        `INSERT INTO officer (id, unit, role, shift, absences, updated_at)
         SELECT id, unit, role, shift, absences, now() FROM jsonb_to_recordset($1::jsonb) AS o(id text, unit text, role text, shift jsonb, absences jsonb)
         ON CONFLICT (id) DO UPDATE SET unit = EXCLUDED.unit, role = EXCLUDED.role, shift = EXCLUDED.shift, absences = EXCLUDED.absences, updated_at = now()`,
        [JSON.stringify(data.officers)],
      );
      await client.query(
        `INSERT INTO vehicle (plate_key, plate, kind, owner_ref, updated_at)
         SELECT plate_key, plate, kind, owner_ref, now() FROM jsonb_to_recordset($1::jsonb) AS v(plate_key text, plate text, kind text, owner_ref text)
         ON CONFLICT (plate_key) DO UPDATE SET plate = EXCLUDED.plate, kind = EXCLUDED.kind, owner_ref = EXCLUDED.owner_ref, updated_at = now()`,
        [JSON.stringify(data.vehicles.map((v) => ({ plate_key: plateKey(v.plate), plate: v.plate, kind: v.kind, owner_ref: v.ownerRef ?? null })))],
      );
      await client.query(
        `INSERT INTO camera (id, district, lat, lon, updated_at)
         SELECT id, district, lat, lon, now() FROM jsonb_to_recordset($1::jsonb) AS c(id text, district text, lat float8, lon float8)
         ON CONFLICT (id) DO UPDATE SET district = EXCLUDED.district, lat = EXCLUDED.lat, lon = EXCLUDED.lon, updated_at = now()`,
        [JSON.stringify(data.cameras)],
      );
      await client.query(
        `INSERT INTO dispatch (id, plate_key, from_at, to_at)
         SELECT id, plate_key, from_at, to_at FROM jsonb_to_recordset($1::jsonb) AS d(id text, plate_key text, from_at timestamptz, to_at timestamptz)
         ON CONFLICT (id) DO UPDATE SET plate_key = EXCLUDED.plate_key, from_at = EXCLUDED.from_at, to_at = EXCLUDED.to_at`,
        [JSON.stringify(data.dispatches.map((d) => ({ id: d.id, plate_key: plateKey(d.plate), from_at: d.from, to_at: d.to })))],
      );
    });
    return {
      sources: data.sources.length,
      officers: data.officers.length,
      vehicles: data.vehicles.length,
      cameras: data.cameras.length,
      dispatches: data.dispatches.length,
    };
  }
}
