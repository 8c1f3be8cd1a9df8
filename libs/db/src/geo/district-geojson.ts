import type { DistrictGeometry, DistrictNames } from '@qadaga/contracts/api';

/** One district boundary as the product keeps it. */
export interface DistrictBoundary {
  id: string;
  names: DistrictNames;
  /** Lower-cased names a source may write for it. */
  aliases: string[];
  geometry: DistrictGeometry;
  /** West, south, east, north. */
  bbox: [number, number, number, number];
}

/** A city's boundaries and the credit their licence requires. */
export interface BoundarySet {
  boundaries: DistrictBoundary[];
  attribution: string | null;
  licence: string | null;
}

export interface GeoJsonProblem {
  /** Where: `features[3].properties.name_ru`, `features[0].geometry.coordinates[0]`. */
  path: string;
  message: string;
}

/** Boundaries refused: every problem found, each naming the feature and the property. */
export class BoundaryFileError extends Error {
  constructor(readonly problems: GeoJsonProblem[]) {
    super(`the boundary file was refused: ${problems.slice(0, 10).map((p) => `${p.path}: ${p.message}`).join('; ')}${problems.length > 10 ? `; and ${problems.length - 10} more` : ''}`);
    this.name = 'BoundaryFileError';
  }
}

export interface BoundaryFileOptions {
  /** The feature property holding the district's id (the feature's own `id` when absent). */
  idProperty?: string;
  /** The properties holding its Russian, Kazakh and English names, in that order. */
  nameProperties?: readonly [string, string, string];
}

export const DEFAULT_NAME_PROPERTIES = ['name_ru', 'name_kk', 'name_en'] as const;
const ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/u;
const MAX_FEATURES = 500;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Words a district's name carries in one language or another, dropped to match what a source writes. */
const DISTRICT_WORDS = /\s*(district|ауданы|аудан|район|р-н)\s*/giu;

/** The lower-cased spellings a source may use for a district: its id, each name, and each name without "district". */
export function districtAliases(id: string, names: DistrictNames): string[] {
  const out = new Set<string>([id.toLowerCase()]);
  for (const name of [names.ru, names.kk, names.en]) {
    if (name === null) continue;
    const lower = name.trim().toLowerCase().replace(/\s+/gu, ' ');
    out.add(lower);
    const bare = lower.replace(DISTRICT_WORDS, ' ').trim();
    if (bare.length > 0) out.add(bare);
  }
  return [...out];
}

/**
 * Reads a GeoJSON FeatureCollection of district polygons (WGS 84, longitude first) and
 * checks all of it before anything is loaded: each feature a Polygon or MultiPolygon of
 * closed rings of at least four valid positions, a unique id matching [a-z0-9_-], and
 * names that are text when present. Every problem is reported, by feature index and
 * property, so an operator can fix the file in one go.
 */
export function parseBoundaryFile(text: string, options: BoundaryFileOptions = {}): BoundarySet {
  const idProperty = options.idProperty ?? 'id';
  const [ruProperty, kkProperty, enProperty] = options.nameProperties ?? DEFAULT_NAME_PROPERTIES;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new BoundaryFileError([{ path: '(file)', message: `not JSON: ${error instanceof Error ? error.message : String(error)}` }]);
  }
  if (!isObject(doc) || doc['type'] !== 'FeatureCollection') throw new BoundaryFileError([{ path: 'type', message: 'must be "FeatureCollection"' }]);
  const features = doc['features'];
  if (!Array.isArray(features) || features.length === 0) throw new BoundaryFileError([{ path: 'features', message: 'must be a non-empty array of features' }]);
  if (features.length > MAX_FEATURES) throw new BoundaryFileError([{ path: 'features', message: `at most ${MAX_FEATURES} districts, got ${features.length}` }]);

  const problems: GeoJsonProblem[] = [];
  const boundaries: DistrictBoundary[] = [];
  const seen = new Map<string, number>();
  features.forEach((feature, index) => {
    const at = `features[${index}]`;
    if (!isObject(feature) || feature['type'] !== 'Feature') {
      problems.push({ path: `${at}.type`, message: 'must be "Feature"' });
      return;
    }
    const properties = isObject(feature['properties']) ? feature['properties'] : {};
    const rawId = idProperty in properties ? properties[idProperty] : feature['id'];
    const idPath = idProperty in properties ? `${at}.properties.${idProperty}` : `${at}.id`;
    let id: string | null = null;
    if (typeof rawId !== 'string' || !ID_PATTERN.test(rawId)) {
      problems.push({ path: idPath, message: `the district id must be text of lower-case letters, digits, "_" or "-" (1-64), got ${JSON.stringify(rawId ?? null)}` });
    } else if (seen.has(rawId)) {
      problems.push({ path: idPath, message: `the id "${rawId}" is also features[${seen.get(rawId)}]'s` });
    } else {
      seen.set(rawId, index);
      id = rawId;
    }
    const name = (property: string): string | null => {
      const value = properties[property];
      if (value === undefined || value === null) return null;
      if (typeof value !== 'string' || value.trim().length === 0 || value.length > 200) {
        problems.push({ path: `${at}.properties.${property}`, message: 'a name must be text of 1-200 characters' });
        return null;
      }
      return value.trim();
    };
    const names = { ru: name(ruProperty), kk: name(kkProperty), en: name(enProperty) };
    if (names.ru === null && names.kk === null && names.en === null) {
      problems.push({ path: `${at}.properties`, message: `has none of the name properties ${ruProperty}, ${kkProperty}, ${enProperty}` });
    }
    const geometry = checkGeometry(feature['geometry'], `${at}.geometry`, problems);
    if (id !== null && geometry !== null) boundaries.push({ id, names, aliases: districtAliases(id, names), geometry, bbox: bboxOf(geometry) });
  });
  if (problems.length > 0) throw new BoundaryFileError(problems);

  const metadata = isObject(doc['metadata']) ? doc['metadata'] : {};
  const text_ = (v: unknown) => (typeof v === 'string' && v.trim().length > 0 ? v.trim() : null);
  return {
    boundaries,
    attribution: text_(doc['attribution']) ?? text_(metadata['attribution']),
    licence: text_(doc['licence']) ?? text_(doc['license']) ?? text_(metadata['licence']) ?? text_(metadata['license']),
  };
}

function checkGeometry(geometry: unknown, at: string, problems: GeoJsonProblem[]): DistrictGeometry | null {
  if (!isObject(geometry)) {
    problems.push({ path: at, message: 'must be a Polygon or MultiPolygon' });
    return null;
  }
  const before = problems.length;
  const coordinates = geometry['coordinates'];
  if (geometry['type'] === 'Polygon') {
    checkPolygon(coordinates, `${at}.coordinates`, problems);
    return problems.length === before ? { type: 'Polygon', coordinates: coordinates as number[][][] } : null;
  }
  if (geometry['type'] === 'MultiPolygon') {
    if (!Array.isArray(coordinates) || coordinates.length === 0) problems.push({ path: `${at}.coordinates`, message: 'must be a non-empty array of polygons' });
    else coordinates.forEach((polygon, i) => checkPolygon(polygon, `${at}.coordinates[${i}]`, problems));
    return problems.length === before ? { type: 'MultiPolygon', coordinates: coordinates as number[][][][] } : null;
  }
  problems.push({ path: `${at}.type`, message: `must be "Polygon" or "MultiPolygon", got ${JSON.stringify(geometry['type'] ?? null)}` });
  return null;
}

function checkPolygon(rings: unknown, at: string, problems: GeoJsonProblem[]): void {
  if (!Array.isArray(rings) || rings.length === 0) {
    problems.push({ path: at, message: 'a polygon must be a non-empty array of rings' });
    return;
  }
  rings.forEach((ring, r) => {
    const ringAt = `${at}[${r}]`;
    if (!Array.isArray(ring) || ring.length < 4) {
      problems.push({ path: ringAt, message: 'a ring must have at least four positions' });
      return;
    }
    const bad = ring.findIndex((p) => !Array.isArray(p) || p.length < 2 || p.length > 3 || !p.every((x) => typeof x === 'number' && Number.isFinite(x)));
    if (bad >= 0) {
      problems.push({ path: `${ringAt}[${bad}]`, message: 'a position must be [longitude, latitude] in numbers' });
      return;
    }
    const outside = ring.findIndex((p: number[]) => Math.abs(p[0]!) > 180 || Math.abs(p[1]!) > 90);
    if (outside >= 0) {
      problems.push({ path: `${ringAt}[${outside}]`, message: 'longitude must lie within ±180 and latitude within ±90 (WGS 84, longitude first)' });
      return;
    }
    const first = ring[0] as number[];
    const last = ring[ring.length - 1] as number[];
    if (first[0] !== last[0] || first[1] !== last[1]) problems.push({ path: ringAt, message: 'a ring must be closed: its last position must equal its first' });
  });
}

function bboxOf(geometry: DistrictGeometry): [number, number, number, number] {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const polygon of polygons) for (const ring of polygon) for (const [lon, lat] of ring) {
    w = Math.min(w, lon!);
    e = Math.max(e, lon!);
    s = Math.min(s, lat!);
    n = Math.max(n, lat!);
  }
  return [w, s, e, n];
}
