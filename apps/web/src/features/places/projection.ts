/**
 * An equirectangular projection fitted to a box: longitudes are shrunk by the cosine of
 * the middle latitude so a city's cells keep their shape. Good enough at city scale, and
 * needs no tile server.
 */
export interface Projected {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function fitProjection(points: readonly { lat: number; lon: number }[], cellDegrees: number, box: { width: number; height: number; padding: number }) {
  if (points.length === 0) return null;
  const lats = points.map((p) => p.lat);
  const lons = points.map((p) => p.lon);
  const minLat = Math.min(...lats) - cellDegrees / 2;
  const maxLat = Math.max(...lats) + cellDegrees / 2;
  const minLon = Math.min(...lons) - cellDegrees / 2;
  const maxLon = Math.max(...lons) + cellDegrees / 2;
  const k = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const spanX = Math.max((maxLon - minLon) * k, 1e-9);
  const spanY = Math.max(maxLat - minLat, 1e-9);
  const scale = Math.min((box.width - 2 * box.padding) / spanX, (box.height - 2 * box.padding) / spanY);
  return (p: { lat: number; lon: number }): Projected => ({
    x: box.padding + ((p.lon - cellDegrees / 2 - minLon) * k) * scale,
    y: box.padding + (maxLat - (p.lat + cellDegrees / 2)) * scale,
    width: cellDegrees * k * scale,
    height: cellDegrees * scale,
  });
}

/** A sequential colour from pale yellow to dark red, on a square-root scale so a few hot cells do not wash out the rest. */
export function heat(value: number, max: number): string {
  const t = max <= 0 ? 0 : Math.sqrt(Math.max(0, value) / max);
  const from = [255, 237, 160];
  const to = [189, 0, 38];
  const mix = from.map((c, i) => Math.round(c + ((to[i] ?? c) - c) * t));
  return `rgb(${mix.join(',')})`;
}
