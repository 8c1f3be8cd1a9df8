import { z } from 'zod';
import { isoInstant } from './common.js';
import { endpoint, type EndpointContract } from './endpoint.js';
import { ReadPeriod, periodQueryFields } from './profiles.js';

const count = z.number().int();

export const PlaceDistrict = z
  .object({ district: z.string(), violations: count, cancellations: count, openFlags: count })
  .meta({ id: 'PlaceDistrict' });
export type PlaceDistrict = z.infer<typeof PlaceDistrict>;

/** One cell of the grid, by the latitude and longitude of its centre. */
export const PlaceCell = z.object({ lat: z.number(), lon: z.number(), violations: count, cancellations: count }).meta({ id: 'PlaceCell' });
export type PlaceCell = z.infer<typeof PlaceCell>;

export const PlacesView = z
  .object({
    period: z.object({ from: isoInstant, to: isoInstant }),
    district: z.string().nullable(),
    districts: z.array(PlaceDistrict),
    grid: z.object({ cellDegrees: z.number(), cells: z.array(PlaceCell) }),
  })
  .meta({ id: 'PlacesView' });
export type PlacesView = z.infer<typeof PlacesView>;

/** A published count, or null when it is below the minimum and could point at a person or a vehicle. */
export const PublicCell = z.object({ count: count.nullable(), suppressed: z.boolean() }).meta({ id: 'PublicCell' });
export type PublicCell = z.infer<typeof PublicCell>;

export const PublicStats = z
  .object({
    /** The period widened to whole local weeks, so overlapping requests cannot be subtracted into a part of a week. */
    period: ReadPeriod,
    minCellCount: count,
    byDistrict: z.array(z.object({ week: z.string(), district: z.string().nullable(), violations: PublicCell, cancellations: PublicCell })),
    byCamera: z.array(z.object({ week: z.string(), cameraId: z.string(), violations: PublicCell, cancellations: PublicCell })),
  })
  .meta({ id: 'PublicStats' });
export type PublicStats = z.infer<typeof PublicStats>;

export const placeEndpoints = {
  list: endpoint({
    method: 'GET',
    path: '/v1/places',
    tag: 'places',
    access: ['prosecutor', 'auditor', 'admin'],
    summary:
      'Violations, cancellations and open flags per district, and detections on a grid of 0.005-degree cells (lat, lon of the cell centre) for a map drawn without tiles',
    query: z.strictObject({ ...periodQueryFields, district: z.string().trim().min(1).max(120).optional() }),
    response: PlacesView,
  }),
  publicStats: endpoint({
    method: 'GET',
    path: '/v1/public/stats',
    tag: 'public',
    access: 'public',
    summary:
      'Open data, no sign-in: violations and cancellations per week by district and by camera. Weeks are whole local weeks; every count under PUBLIC_MIN_CELL_COUNT is withheld (null, suppressed: true), and no plate or officer is ever named.',
    query: z.strictObject(periodQueryFields),
    response: PublicStats,
  }),
} satisfies Record<string, EndpointContract>;
