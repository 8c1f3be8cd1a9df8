import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { DistrictNames } from '@qadaga/contracts/api';
import type { DistrictBoundary } from './district-geojson.js';

export interface LatLon {
  lat: number;
  lon: number;
}

/**
 * Attributes a count to a loaded district: by the name the source wrote when it is one of
 * a boundary's spellings, else by the coordinates (point in polygon), else the source's
 * own name as it is, else nowhere (null). Sources write names their own way ("Almaly",
 * "Алмалинский район") and some write only coordinates; the map needs boundary ids.
 */
export class DistrictResolver {
  private readonly byAlias = new Map<string, string>();
  private readonly names = new Map<string, DistrictNames>();
  private readonly pointCache = new Map<string, string | null>();

  constructor(private readonly boundaries: readonly Pick<DistrictBoundary, 'id' | 'names' | 'aliases' | 'geometry' | 'bbox'>[]) {
    for (const b of boundaries) {
      this.names.set(b.id, b.names);
      for (const alias of b.aliases) if (!this.byAlias.has(alias)) this.byAlias.set(alias, b.id);
    }
  }

  get ids(): string[] {
    return this.boundaries.map((b) => b.id);
  }

  namesOf(id: string | null): DistrictNames | null {
    return id === null ? null : (this.names.get(id) ?? null);
  }

  byName(name: string | null): string | null {
    if (name === null) return null;
    return this.byAlias.get(name.trim().toLowerCase().replace(/\s+/gu, ' ')) ?? null;
  }

  /** The boundary holding the point, or null; the first one when boundaries overlap. */
  byPoint(point: LatLon): string | null {
    const key = `${point.lat},${point.lon}`;
    const cached = this.pointCache.get(key);
    if (cached !== undefined) return cached;
    const found = this.boundaries.find(
      (b) => point.lon >= b.bbox[0] && point.lat >= b.bbox[1] && point.lon <= b.bbox[2] && point.lat <= b.bbox[3] && booleanPointInPolygon([point.lon, point.lat], b.geometry),
    );
    const id = found?.id ?? null;
    if (this.pointCache.size < 100_000) this.pointCache.set(key, id);
    return id;
  }

  resolve(name: string | null, ...points: (LatLon | null | undefined)[]): string | null {
    const named = this.byName(name);
    if (named !== null) return named;
    for (const point of points) {
      if (point === null || point === undefined) continue;
      const placed = this.byPoint(point);
      if (placed !== null) return placed;
    }
    const trimmed = name?.trim() ?? '';
    return trimmed.length > 0 ? trimmed : null;
  }
}
