import { z } from 'zod';
import { isoInstant } from './common.js';
import { endpoint, type EndpointContract } from './endpoint.js';
import { ReadPeriod, periodQueryFields } from './profiles.js';

const count = z.number().int();
/** A share between 0 and 1, or null when its denominator is zero. */
const share = z.number().min(0).max(1).nullable();

/** A district's name in the product's three languages, as the loaded boundaries give them (null where a boundary has none). */
export const DistrictNames = z.object({ ru: z.string().nullable(), kk: z.string().nullable(), en: z.string().nullable() }).meta({ id: 'DistrictNames' });
export type DistrictNames = z.infer<typeof DistrictNames>;

/**
 * Where a count is attributed: the id of a loaded district boundary (`almaly`), the
 * source's own name when it matches no boundary, or null when neither the source nor the
 * coordinates place it.
 */
const districtKey = z.string().nullable().meta({
  description: "a loaded boundary's id (see GET /v1/public/districts); the source's own name when it matches none; null when no district and no coordinates place it",
});

// ---------------------------------------------------------------------------------
// Prosecutors' view

export const PlaceDistrict = z
  .object({
    district: z.string(),
    /** Names from the loaded boundaries; null when `district` matches no boundary. */
    name: DistrictNames.nullable(),
    violations: count,
    cancellations: count,
    /** cancellations / violations. */
    cancellationRate: share,
    /** Open flags with a violation of their evidence in the district: GET /v1/flags?district= lists the same. */
    openFlags: count,
  })
  .meta({ id: 'PlaceDistrict' });
export type PlaceDistrict = z.infer<typeof PlaceDistrict>;

/** One camera with its position (null when neither the register nor its detections give one). */
export const PlaceCamera = z
  .object({
    cameraId: z.string(),
    district: districtKey,
    position: z.object({ lat: z.number(), lon: z.number() }).nullable(),
    violations: count,
    cancellations: count,
    cancellationRate: share,
    openFlags: count,
  })
  .meta({ id: 'PlaceCamera' });
export type PlaceCamera = z.infer<typeof PlaceCamera>;

/** One cell of the grid, by the latitude and longitude of its centre. */
export const PlaceCell = z.object({ lat: z.number(), lon: z.number(), violations: count, cancellations: count }).meta({ id: 'PlaceCell' });
export type PlaceCell = z.infer<typeof PlaceCell>;

export const PlacesView = z
  .object({
    period: z.object({ from: isoInstant, to: isoInstant }),
    district: z.string().nullable(),
    /** The whole city over the period (whatever `district` narrows the lists to), to compare each place's rate with. */
    city: z.object({ violations: count, cancellations: count, cancellationRate: share, openFlags: count }),
    districts: z.array(PlaceDistrict),
    /** Every camera with a violation in the period, busiest first. */
    cameras: z.array(PlaceCamera),
    grid: z.object({ cellDegrees: z.number(), cells: z.array(PlaceCell) }),
  })
  .meta({ id: 'PlacesView' });
export type PlacesView = z.infer<typeof PlacesView>;

/** Where one officer's or one unit's recorded actions happened: the place of the violation each action was on. */
export const ActorPlaces = z
  .object({
    subject: z.object({ kind: z.enum(['officer', 'unit']), id: z.string() }),
    period: ReadPeriod,
    /** Every action of the subject in the period; `located` of them could be placed on the map. */
    actions: count,
    located: count,
    districts: z.array(
      z.object({
        district: districtKey,
        name: DistrictNames.nullable(),
        actions: count,
        /** Of those actions, how many were cancellations. */
        cancellations: count,
      }),
    ),
    grid: z.object({ cellDegrees: z.number(), cells: z.array(z.object({ lat: z.number(), lon: z.number(), actions: count, cancellations: count })) }),
  })
  .meta({ id: 'ActorPlaces' });
export type ActorPlaces = z.infer<typeof ActorPlaces>;

// ---------------------------------------------------------------------------------
// Open data (no sign-in)

/** A published count, or null when it is withheld: below the minimum, or one a shown total would give away. */
const publicCount = count.nullable();

/** Counts of one place (or the city) over one week or over the whole period. */
export const PublicFigures = z
  .object({
    detections: publicCount,
    violations: publicCount,
    cancellations: publicCount,
    /** Per 1,000 detections, one decimal; null whenever either count is withheld. */
    violationsPer1000: z.number().nullable(),
    cancellationsPer1000: z.number().nullable(),
  })
  .meta({ id: 'PublicFigures' });
export type PublicFigures = z.infer<typeof PublicFigures>;

/** One week's figures; a generic helper over the shape would lose the fields' types on the way to the browser. */
export const PublicWeek = PublicFigures.extend({ week: z.string().meta({ description: 'the local Monday the week starts on (yyyy-mm-dd)' }) }).meta({ id: 'PublicWeek' });
export type PublicWeek = z.infer<typeof PublicWeek>;
const weekly = z.array(PublicWeek);

/** What the public figures count, from which data, and what they leave out. */
export const PublicMethod = z
  .object({
    counted: z.object({ detections: z.string(), violations: z.string(), cancellations: z.string() }),
    weeks: z.string(),
    districts: z.string(),
    suppression: z.string(),
    minCellCount: count,
    /** Rule versions whose output is published: none, the figures are counts of the lifecycle alone. */
    ruleVersions: z.array(z.object({ ruleId: z.string(), version: count })),
    ruleOutput: z.string(),
    sources: z.object({
      covered: z.array(z.object({ code: z.string(), name: z.string(), kind: z.string() })),
      notCovered: z.array(z.object({ code: z.string(), name: z.string(), kind: z.string(), reason: z.string() })),
    }),
    /** When the figures were computed; a new event shows within a minute. */
    computedAt: isoInstant,
  })
  .meta({ id: 'PublicMethod' });
export type PublicMethod = z.infer<typeof PublicMethod>;

export const PublicStats = z
  .object({
    /** The quarter asked for (YYYY-Qn), its whole local weeks as the period. */
    quarter: z.string(),
    period: ReadPeriod,
    /** Quarters with any detection, newest first, to choose from. */
    quarters: z.array(z.string()),
    minCellCount: count,
    /** Every week of the period, in order; each list below has one entry per week. */
    weeks: z.array(z.string()),
    /** The city's trend. */
    city: z.object({ total: PublicFigures, weeks: weekly }),
    /** Every district with a detection in the period (and every loaded boundary), totals and weeks. */
    districts: z.array(z.object({ district: districtKey, name: DistrictNames.nullable(), total: PublicFigures, weeks: weekly })),
    /** Every camera with a detection in the period: only its id, its position and counts. */
    cameras: z.array(
      z.object({
        cameraId: z.string(),
        district: districtKey,
        position: z.object({ lat: z.number(), lon: z.number() }).nullable(),
        total: PublicFigures,
        weeks: weekly,
      }),
    ),
    method: PublicMethod,
    /** Credit for the district boundaries; null when none are loaded. */
    attribution: z.string().nullable(),
  })
  .meta({ id: 'PublicStats' });
export type PublicStats = z.infer<typeof PublicStats>;

const position = z.array(z.number()).min(2).max(3);
const ring = z.array(position);
export const DistrictGeometry = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Polygon'), coordinates: z.array(ring) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring)) }),
]);
export type DistrictGeometry = z.infer<typeof DistrictGeometry>;

/** The loaded district boundaries as a GeoJSON FeatureCollection (WGS 84, longitude first). */
export const PublicDistricts = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(
      z.object({
        type: z.literal('Feature'),
        id: z.string(),
        geometry: DistrictGeometry,
        properties: z.object({ id: z.string(), name: DistrictNames }),
      }),
    ),
    /** The credit the boundaries' licence requires wherever they are shown (e.g. "© OpenStreetMap contributors"); null when none are loaded. */
    attribution: z.string().nullable(),
    attributionUrl: z.string().nullable(),
    licence: z.string().nullable(),
  })
  .meta({ id: 'PublicDistricts' });
export type PublicDistricts = z.infer<typeof PublicDistricts>;

const PeriodQuery = z.strictObject(periodQueryFields);

/**
 * Public figures cover one quarter of ISO weeks at a time, never a period of the caller's
 * choosing: totals over two overlapping periods would subtract into the withheld weeks.
 */
export const PublicQuarterQuery = z.strictObject({
  quarter: z
    .string()
    .regex(/^\d{4}-Q[1-4]$/u, 'must be a quarter of ISO weeks, e.g. 2026-Q1')
    .optional()
    .meta({ description: 'YYYY-Qn of ISO week-years: Q1 is weeks 1-13, Q2 14-26, Q3 27-39, Q4 40 to the last; defaults to the quarter of today' }),
});
const SUPPRESSION_NOTE =
  'Every count under PUBLIC_MIN_CELL_COUNT is withheld (null), and so is every further count that, subtracted from a shown total (camera in district, district in city, week in quarter), would give a withheld one away; a rate is withheld with either of its counts. No plate or officer is ever named.';

export const placeEndpoints = {
  list: endpoint({
    method: 'GET',
    path: '/v1/places',
    tag: 'places',
    access: ['prosecutor', 'auditor', 'admin'],
    summary:
      "Violations, cancellations, cancellation rate and open flags per district and per camera (with its position) against the city's, and detections on a grid of 0.005-degree cells (lat, lon of the cell centre) for a map drawn without tiles. Open flags are those open now (new, triaged) the caller is not recused from, whatever the period: a flag counts once in every district and at every camera where a violation of its evidence happened (or that the flag itself names), exactly as GET /v1/flags filtered by that district or camera lists them",
    query: z.strictObject({ ...periodQueryFields, district: z.string().trim().min(1).max(120).optional() }),
    response: PlacesView,
  }),
  officerPlaces: endpoint({
    method: 'GET',
    path: '/v1/officers/{id}/places',
    tag: 'places',
    access: ['prosecutor', 'auditor', 'admin'],
    summary:
      "Where an officer's actions happened: per district, and on a grid of 0.005-degree cells, the place of each violation they acted on. Refused for the officer and their own unit; every read is recorded.",
    params: z.object({ id: z.string().meta({ description: "the officer's id (1-128 characters)" }) }),
    query: PeriodQuery,
    response: ActorPlaces,
  }),
  unitPlaces: endpoint({
    method: 'GET',
    path: '/v1/units/{id}/places',
    tag: 'places',
    access: ['prosecutor', 'auditor', 'admin'],
    summary:
      "Where a unit's officers' actions happened: per district, and on a grid of 0.005-degree cells. Refused for the unit's own members; every read is recorded.",
    params: z.object({ id: z.string().meta({ description: "the unit's id (1-128 characters)" }) }),
    query: PeriodQuery,
    response: ActorPlaces,
  }),
  publicDistricts: endpoint({
    method: 'GET',
    path: '/v1/public/districts',
    tag: 'public',
    access: 'public',
    summary:
      'Open data, no sign-in: the district boundaries the figures are counted by, as a GeoJSON FeatureCollection with names in Russian, Kazakh and English, and the attribution their licence requires.',
    query: z.strictObject({}),
    response: PublicDistricts,
  }),
  publicStats: endpoint({
    method: 'GET',
    path: '/v1/public/stats',
    tag: 'public',
    access: 'public',
    summary: `Open data, no sign-in: detections, violations and cancellations (and violations and cancellations per 1,000 detections) for the city, each district and each camera (id and position only), per whole local week and over the period, with the method. ${SUPPRESSION_NOTE}`,
    query: PublicQuarterQuery,
    response: PublicStats,
  }),
  publicStatsCsv: endpoint({
    method: 'GET',
    path: '/v1/public/stats.csv',
    tag: 'public',
    access: 'public',
    summary: `The figures of GET /v1/public/stats as CSV, one row per place and week (week "total" for the quarter). ${SUPPRESSION_NOTE}`,
    query: PublicQuarterQuery,
    response: {
      media: 'text/csv',
      description:
        'Lines starting with "#" state the method (what is counted, rule output, sources covered and not, suppression, attribution); then a header row: level,district,camera_id,lat,lon,week,detections,violations,cancellations,violations_per_1000,cancellations_per_1000. A withheld count is an empty field.',
    },
  }),
  publicStatsGeojson: endpoint({
    method: 'GET',
    path: '/v1/public/stats.geojson',
    tag: 'public',
    access: 'public',
    summary: `The figures of GET /v1/public/stats as GeoJSON: a district feature (its boundary) and a camera feature (its position) each carrying total and weeks. ${SUPPRESSION_NOTE}`,
    query: PublicQuarterQuery,
    response: {
      media: 'application/geo+json',
      description:
        'A FeatureCollection; each feature has properties { level: "district" | "camera", district, cameraId?, name?, total, weeks } with the figures of PublicFigures; top-level members period, minCellCount, city, method and attribution as in GET /v1/public/stats.',
    },
  }),
} satisfies Record<string, EndpointContract>;
