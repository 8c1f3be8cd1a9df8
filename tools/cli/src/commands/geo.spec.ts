import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_BOUNDARY_FILE, DistrictBoundaryRepository, createPool } from '@qadaga/db';
import { resetLedger, testDatabaseUrl } from '@qadaga/db/testing';
import { runQadaga } from '../testing/run-in-process.js';

const pool = createPool({ url: testDatabaseUrl(), size: 2 });
const boundaries = new DistrictBoundaryRepository(pool);
const dir = mkdtempSync(path.join(tmpdir(), 'qadaga-geo-'));
const write = (name: string, doc: unknown) => {
  const file = path.join(dir, name);
  writeFileSync(file, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return file;
};
const square = [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]];

beforeAll(async () => {
  process.env['DATABASE_URL'] = testDatabaseUrl();
  await resetLedger(pool);
});
afterAll(async () => pool.end());

describe('qadaga geo load', () => {
  it('loads the bundled districts, and replaces them with another set as a whole', async () => {
    const first = await runQadaga('geo', 'load', BUNDLED_BOUNDARY_FILE);
    expect(first.code).toBe(0);
    expect(first.json).toMatchObject({ loaded: 8, removed: 0, attribution: expect.stringMatching(/OpenStreetMap/u) });
    const file = write('other.geojson', {
      type: 'FeatureCollection',
      attribution: 'City survey 2027',
      features: [{ type: 'Feature', properties: { code: 'north', ru: 'Северный', kz: 'Солтүстік', en: 'North' }, geometry: { type: 'Polygon', coordinates: square } }],
    });
    const second = await runQadaga('geo', 'load', file, '--id-property', 'code', '--name-properties', 'ru,kz,en');
    expect(second).toMatchObject({ code: 0, json: { loaded: 1, removed: 8, districts: ['north'] } });
    const stored = await boundaries.list();
    expect(stored.boundaries.map((b) => [b.id, b.names])).toEqual([['north', { ru: 'Северный', kk: 'Солтүстік', en: 'North' }]]);
    expect(stored.attribution).toBe('City survey 2027');
  });

  it('refuses a bad file naming each feature and property, and changes nothing', async () => {
    await runQadaga('geo', 'load', BUNDLED_BOUNDARY_FILE);
    const file = write('bad.geojson', {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { id: 'ok', name_en: 'Fine' }, geometry: { type: 'Polygon', coordinates: square } },
        { type: 'Feature', properties: { id: 'open', name_en: 'Open ring' }, geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] } },
        { type: 'Feature', properties: { name_en: 'No id' }, geometry: { type: 'Polygon', coordinates: square } },
      ],
    });
    const run = await runQadaga('geo', 'load', file);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('features[1].geometry.coordinates[0]: a ring must be closed');
    expect(run.stderr).toContain('features[2].id: the district id must be text');
    expect(run.json).toMatchObject({ ok: false, error: expect.stringMatching(/refused \(2 problems\); the boundaries were not changed/u) });
    expect((await boundaries.list()).boundaries).toHaveLength(8);
  });

  it('names a missing file and a wrong --name-properties', async () => {
    const missing = await runQadaga('geo', 'load', path.join(dir, 'none.geojson'));
    expect(missing).toMatchObject({ code: 1, json: { error: expect.stringMatching(/none\.geojson: no such file/u) } });
    const names = await runQadaga('geo', 'load', BUNDLED_BOUNDARY_FILE, '--name-properties', 'ru,kk');
    expect(names).toMatchObject({ code: 1, json: { error: expect.stringMatching(/--name-properties: give three property names/u) } });
  });
});
