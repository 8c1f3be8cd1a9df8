import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import Supercluster from 'supercluster';
import { fitTo, forSphere, heat, heightFor, type Areas } from './geometry.js';

export interface MapPoint {
  id: string;
  lon: number;
  lat: number;
  /** What the point's circle size stands for (detections at a camera). */
  weight: number;
}

export interface DistrictMapProps {
  title: string;
  areas: Areas;
  /** The district's figure, or null when it is withheld (too small to publish) or unknown. */
  value(id: string): number | null;
  /** Lowest and highest figure of the colour scale, shared across weeks so colours can be compared. */
  min?: number | undefined;
  max: number;
  /** Accessible and hover text of a district: its name and figure in words. */
  describe(id: string): string;
  /** The district's name in the reader's language, drawn on the map. */
  name(id: string): string;
  selected?: string | undefined;
  onSelect?: ((id: string) => void) | undefined;
  points?: readonly MapPoint[] | undefined;
  /** Clicking a camera or a cluster of cameras hands over the ids it holds. */
  onPoints?: ((ids: string[]) => void) | undefined;
  describePoints?: ((ids: string[]) => string) | undefined;
  legend: { low: string; high: string; withheld: string };
  attribution: string;
}

const CLUSTER_RADIUS_PX = 26;

/** The slippy-map zoom whose world width matches a d3 Mercator scale (radians to pixels), for supercluster. */
function zoomOf(scale: number): number {
  return Math.max(0, Math.min(20, Math.floor(Math.log2((2 * Math.PI * scale) / 256))));
}

function useWidth(initial: number) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(initial);
  useEffect(() => {
    const element = ref.current;
    if (element === null || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => {
      const next = Math.round(entry?.contentRect.width ?? initial);
      if (next > 0) setWidth(next);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [initial]);
  return { ref, width };
}

function onActivate(action: () => void) {
  return (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      action();
    }
  };
}

/**
 * A choropleth of districts drawn as SVG with d3-geo from the boundaries the product
 * ships, with no tile server (the product runs in closed networks). Each district is a
 * keyboard-reachable button; cameras are clustered with supercluster at the zoom the map
 * is drawn at, so a crowded centre stays readable on a phone.
 */
export function DistrictMap(props: DistrictMapProps) {
  const { ref, width } = useWidth(760);
  const areas = useMemo(() => forSphere(props.areas), [props.areas]);
  const height = useMemo(() => Math.min(heightFor(areas, width), Math.round(width * 1.2)), [areas, width]);
  const { projection, path } = useMemo(() => fitTo(areas, width, height), [areas, width, height]);
  const clusters = useMemo(() => {
    if (props.points === undefined || props.points.length === 0) return [];
    const index = new Supercluster<{ id: string; weight: number }, { weight: number }>({
      radius: CLUSTER_RADIUS_PX,
      extent: 256,
      maxZoom: 20,
      map: (p) => ({ weight: p.weight }),
      reduce: (into, p) => {
        into.weight += p.weight;
      },
    });
    index.load(props.points.map((p) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [p.lon, p.lat] }, properties: { id: p.id, weight: p.weight } })));
    const zoom = zoomOf(projection.scale());
    return index.getClusters([-180, -85, 180, 85], zoom).map((c) => {
      const ids = 'cluster' in c.properties && c.properties.cluster ? index.getLeaves(c.properties.cluster_id, Infinity).map((leaf) => leaf.properties.id) : [(c.properties as { id: string }).id];
      const [x, y] = projection(c.geometry.coordinates as [number, number]) ?? [0, 0];
      return { key: ids.join(','), ids, x, y, weight: c.properties.weight };
    });
  }, [props.points, projection]);
  const maxWeight = Math.max(1, ...clusters.map((c) => c.weight));

  return (
    <figure className="chart map-figure" ref={ref}>
      <figcaption>{props.title}</figcaption>
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="group" aria-label={props.title}>
        <defs>
          <pattern id="withheld" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" fill="#eceff1" />
            <line x1="0" y1="0" x2="0" y2="6" stroke="#b0bec5" strokeWidth="2" />
          </pattern>
        </defs>
        {areas.features.map((feature) => {
          const id = feature.properties.id;
          const v = props.value(id);
          const d = path(feature) ?? '';
          const active = props.selected === id;
          const select = props.onSelect;
          return (
            <path
              key={id}
              d={d}
              fill={v === null ? 'url(#withheld)' : heat(v, props.max, props.min ?? 0)}
              stroke={active ? '#14324f' : '#5f6b76'}
              strokeWidth={active ? 3 : 1}
              className={select === undefined ? 'area' : 'area clickable'}
              role={select === undefined ? 'img' : 'button'}
              tabIndex={select === undefined ? undefined : 0}
              aria-pressed={select === undefined ? undefined : active}
              aria-label={props.describe(id)}
              onClick={select === undefined ? undefined : () => select(id)}
              onKeyDown={select === undefined ? undefined : onActivate(() => select(id))}
            >
              <title>{props.describe(id)}</title>
            </path>
          );
        })}
        {areas.features.map((feature) => {
          const [x, y] = path.centroid(feature);
          if (!Number.isFinite(x) || !Number.isFinite(y)) return null;
          return (
            <text key={`label-${feature.properties.id}`} x={x} y={y} className="area-label" textAnchor="middle" aria-hidden="true">
              {props.name(feature.properties.id)}
            </text>
          );
        })}
        {clusters.map((c) => {
          const r = 5 + 13 * Math.sqrt(c.weight / maxWeight);
          const open = props.onPoints;
          const text = props.describePoints?.(c.ids) ?? c.ids.join(', ');
          return (
            <g
              key={c.key}
              className="camera-cluster"
              role={open === undefined ? 'img' : 'button'}
              tabIndex={open === undefined ? undefined : 0}
              aria-label={text}
              onClick={open === undefined ? undefined : () => open(c.ids)}
              onKeyDown={open === undefined ? undefined : onActivate(() => open(c.ids))}
            >
              <title>{text}</title>
              <circle cx={c.x} cy={c.y} r={r} />
              {c.ids.length > 1 && (
                <text x={c.x} y={c.y + 4} textAnchor="middle">
                  {c.ids.length}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <div className="map-legend">
        <span>{props.legend.low}</span>
        <span className="map-ramp" aria-hidden="true" />
        <span>{props.legend.high}</span>
        <span className="map-withheld" aria-hidden="true" />
        <span>{props.legend.withheld}</span>
      </div>
      <p className="map-attribution">{props.attribution}</p>
    </figure>
  );
}
