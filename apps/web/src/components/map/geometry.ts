import rewind from '@turf/rewind';
import { geoMercator, geoPath, type GeoProjection } from 'd3-geo';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';

/** Boundaries as GeoJSON; each feature's properties carry at least its id (names are looked up by the caller). */
export type Area = Feature<Polygon | MultiPolygon, { id: string }>;
export type Areas = FeatureCollection<Polygon | MultiPolygon, { id: string }>;

/**
 * GeoJSON (RFC 7946) winds outer rings anticlockwise; d3-geo works on the sphere and
 * reads the same ring as everything outside it, which fills the whole map. Rewinding with
 * turf (reverse: clockwise outer rings) is the documented fix, done once per boundary set.
 */
export function forSphere(areas: Areas): Areas {
  return rewind(areas, { reverse: true, mutate: false }) as Areas;
}

export interface Fitted {
  projection: GeoProjection;
  path: ReturnType<typeof geoPath>;
}

/** A Mercator projection fitted to the boundaries: at a city's scale shapes and angles stay true. */
export function fitTo(areas: Areas, width: number, height: number, padding = 8): Fitted {
  const projection = geoMercator().fitExtent(
    [
      [padding, padding],
      [width - padding, height - padding],
    ],
    areas,
  );
  return { projection, path: geoPath(projection) };
}

/** The height that keeps the boundaries' proportions at a given width. */
export function heightFor(areas: Areas, width: number, padding = 8): number {
  const probe = geoMercator().fitWidth(width - 2 * padding, areas);
  const [[, y0], [, y1]] = geoPath(probe).bounds(areas);
  return Math.ceil(y1 - y0 + 2 * padding);
}

/**
 * A sequential colour from pale yellow to dark red over [min, max] on a square-root scale,
 * so districts that differ show it even when every figure is high (violations per 1,000
 * detections all lie near 900); the legend gives both ends. A withheld figure is hatched
 * grey instead.
 */
export function heat(value: number, max: number, min = 0): string {
  const span = max - min;
  const t = span <= 0 ? (max > 0 ? 1 : 0) : Math.sqrt(Math.max(0, Math.min(value, max) - min) / span);
  const from = [255, 237, 160];
  const to = [189, 0, 38];
  const mix = from.map((c, i) => Math.round(c + ((to[i] ?? c) - c) * t));
  return `rgb(${mix.join(',')})`;
}
