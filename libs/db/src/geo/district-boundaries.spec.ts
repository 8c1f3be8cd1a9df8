import { readFileSync } from 'node:fs';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createPool } from '../pool.js';
import { resetLedger, testDatabaseUrl } from '../testing/test-database.js';
import { BUNDLED_BOUNDARY_FILE, DistrictBoundaryRepository, bundledBoundaries, publicDistricts } from './district-boundary-repository.js';
import { BoundaryFileError, parseBoundaryFile } from './district-geojson.js';
import { DistrictResolver } from './district-resolver.js';

const pool = createPool({ url: testDatabaseUrl(), size: 2 });
const repo = new DistrictBoundaryRepository(pool);
beforeEach(async () => resetLedger(pool));
afterAll(async () => pool.end());

const square = (w: number, s: number, e: number, n: number) => [[[w, s], [e, s], [e, n], [w, n], [w, s]]];
const file = (features: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({ type: 'FeatureCollection', features, ...extra });
const feature = (properties: Record<string, unknown>, coordinates: unknown = square(0, 0, 1, 1), type = 'Polygon') => ({ type: 'Feature', properties, geometry: { type, coordinates } });

function problemsOf(text: string, options?: Parameters<typeof parseBoundaryFile>[1]) {
  try {
    parseBoundaryFile(text, options);
  } catch (error) {
    if (error instanceof BoundaryFileError) return error.problems;
    throw error;
  }
  throw new Error('accepted');
}

describe('the bundled boundaries', () => {
  it('are Almaty’s eight districts with names in three languages and the OpenStreetMap credit', () => {
    const set = bundledBoundaries();
    expect(set.boundaries.map((b) => b.id).sort()).toEqual(['alatau', 'almaly', 'auezov', 'bostandyk', 'medeu', 'nauryzbay', 'turksib', 'zhetysu']);
    expect(set.attribution).toMatch(/© OpenStreetMap contributors/u);
    expect(set.licence).toMatch(/ODbL/u);
    for (const b of set.boundaries) expect(b.names.ru && b.names.kk && b.names.en).toBeTruthy();
    expect(readFileSync(new URL('../../geo/LICENCE.md', import.meta.url), 'utf8')).toMatch(/Open Database License/u);
    expect(BUNDLED_BOUNDARY_FILE).toMatch(/almaty-districts\.geojson$/u);
  });

  it('place the simulator’s district names and a point in the centre of Medeu', () => {
    const resolver = new DistrictResolver(bundledBoundaries().boundaries);
    for (const name of ['Almaly', 'Auezov', 'Bostandyk', 'Zhetysu', 'Turksib', 'Medeu', 'Nauryzbay', 'Alatau']) expect(resolver.byName(name)).toBe(name.toLowerCase());
    expect(resolver.byName('Almaly District')).toBe('almaly');
    // Kok-Tobe hill lies in Medeu; a point in the Kapchagay reservoir lies in none.
    expect(resolver.byPoint({ lat: 43.2306, lon: 76.9766 })).toBe('medeu');
    expect(resolver.byPoint({ lat: 43.9, lon: 77.3 })).toBeNull();
    expect(resolver.resolve(null, { lat: 43.2306, lon: 76.9766 })).toBe('medeu');
    expect(resolver.resolve('Somewhere', null)).toBe('Somewhere');
    expect(resolver.resolve(null, null)).toBeNull();
  });
});

describe('reading a boundary file', () => {
  it('names the feature index and the property of every problem', () => {
    const problems = problemsOf(
      file([
        feature({ id: 'a', name_en: 'A' }),
        feature({ id: 'a', name_en: 'Again' }),
        feature({ id: 'Bad Id', name_en: 'B' }),
        feature({ id: 'c' }),
        feature({ id: 'd', name_ru: 42 }),
        feature({ id: 'e', name_en: 'E' }, [[[0, 0], [1, 0], [1, 1], [0, 1]]]),
        feature({ id: 'f', name_en: 'F' }, square(0, 0, 1, 1), 'Point'),
        feature({ id: 'g', name_en: 'G' }, [[[0, 0], [1, 0], [1, 95], [0, 0]]]),
      ]),
    );
    expect(problems).toEqual([
      { path: 'features[1].properties.id', message: 'the id "a" is also features[0]\'s' },
      { path: 'features[2].properties.id', message: expect.stringMatching(/lower-case letters/u) },
      { path: 'features[3].properties', message: 'has none of the name properties name_ru, name_kk, name_en' },
      { path: 'features[4].properties.name_ru', message: 'a name must be text of 1-200 characters' },
      { path: 'features[4].properties', message: 'has none of the name properties name_ru, name_kk, name_en' },
      { path: 'features[5].geometry.coordinates[0]', message: 'a ring must be closed: its last position must equal its first' },
      { path: 'features[6].geometry.type', message: 'must be "Polygon" or "MultiPolygon", got "Point"' },
      { path: 'features[7].geometry.coordinates[0][2]', message: expect.stringMatching(/latitude within ±90/u) },
    ]);
  });

  it('reads the id and names from the properties the operator names', () => {
    const set = parseBoundaryFile(file([feature({ code: 'north', title: 'North', ru: 'Северный район' })]), { idProperty: 'code', nameProperties: ['ru', 'kk', 'title'] });
    expect(set.boundaries[0]).toMatchObject({ id: 'north', names: { ru: 'Северный район', kk: null, en: 'North' }, bbox: [0, 0, 1, 1] });
    expect(new DistrictResolver(set.boundaries).byName('северный')).toBe('north');
  });

  it('refuses what is not a FeatureCollection, naming the field', () => {
    expect(problemsOf('{"type":"Feature"}')).toEqual([{ path: 'type', message: 'must be "FeatureCollection"' }]);
    expect(problemsOf('not json')[0]).toMatchObject({ path: '(file)', message: expect.stringMatching(/^not JSON/u) });
    expect(problemsOf(file([]))).toEqual([{ path: 'features', message: 'must be a non-empty array of features' }]);
  });
});

describe('the stored boundaries', () => {
  it('are replaced as a whole set, and answered as GeoJSON with the credit', async () => {
    await repo.replace(bundledBoundaries());
    const replaced = await repo.replace(parseBoundaryFile(file([feature({ id: 'north', name_en: 'North' })], { attribution: 'City survey' })));
    expect(replaced).toEqual({ loaded: 1, removed: 8 });
    const stored = await repo.list();
    expect(stored.boundaries.map((b) => b.id)).toEqual(['north']);
    expect(publicDistricts(stored)).toEqual({
      type: 'FeatureCollection',
      features: [{ type: 'Feature', id: 'north', geometry: { type: 'Polygon', coordinates: square(0, 0, 1, 1) }, properties: { id: 'north', name: { ru: null, kk: null, en: 'North' } } }],
      attribution: 'City survey',
      attributionUrl: null,
      licence: null,
    });
    await repo.replace(bundledBoundaries());
    const osm = publicDistricts(await repo.list());
    expect(osm.features).toHaveLength(8);
    expect(osm.attributionUrl).toBe('https://www.openstreetmap.org/copyright');
    expect((await repo.resolver()).byPoint({ lat: 43.2306, lon: 76.9766 })).toBe('medeu');
  });

  it('keeps the old set when the new one fails part-way', async () => {
    await repo.replace(bundledBoundaries());
    // Two boundaries with one id get past no file check, but the table's key refuses them.
    const dup = parseBoundaryFile(file([feature({ id: 'x', name_en: 'X' })]));
    await expect(repo.replace({ ...dup, boundaries: [...dup.boundaries, ...dup.boundaries] })).rejects.toThrow(/duplicate key/u);
    expect((await repo.list()).boundaries).toHaveLength(8);
  });
});
