import { z } from 'zod';
import { CASE_STATUSES } from '@qadaga/domain';
import { answerId, isoInstant } from './common.js';
import { endpoint, type EndpointContract } from './endpoint.js';

/** At most this many results of each kind: a search box answers a page, not a listing. */
export const SEARCH_LIMIT_PER_KIND = 10;
export const SEARCH_QUERY_MIN = 2;
export const SEARCH_QUERY_MAX = 100;

/** Control characters (C0, DEL, C1) have no place in a typed search. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;

export const SearchQuery = z.strictObject({
  q: z
    .string()
    .trim()
    .min(SEARCH_QUERY_MIN)
    .max(SEARCH_QUERY_MAX)
    .refine((s) => !CONTROL.test(s), 'must not contain control characters')
    .meta({ description: `what was typed: a plate however spelled, an officer or camera id, a violation ref, a case number or words of its title (${SEARCH_QUERY_MIN}-${SEARCH_QUERY_MAX} characters)` }),
});

export const SearchVehicle = z
  .object({
    /** The plate as the register or a detection spelled it: the profile is opened with it. */
    plate: z.string(),
    plateKey: z.string(),
    /** The vehicle register's kind, or null for a plate known only from detections. */
    kind: z.string().nullable(),
    violations: z.number().int(),
  })
  .meta({ id: 'SearchVehicle' });
export type SearchVehicle = z.infer<typeof SearchVehicle>;

export const SearchOfficer = z
  .object({
    id: z.string(),
    unit: z.string().nullable(),
    role: z.string().nullable(),
    inRoster: z.boolean().meta({ description: 'false for an officer known only from the events' }),
  })
  .meta({ id: 'SearchOfficer' });
export type SearchOfficer = z.infer<typeof SearchOfficer>;

export const SearchCamera = z
  .object({
    id: z.string(),
    district: z.string().nullable(),
    inRegister: z.boolean().meta({ description: 'false for a camera known only from what it reports' }),
  })
  .meta({ id: 'SearchCamera' });
export type SearchCamera = z.infer<typeof SearchCamera>;

export const SearchViolation = z
  .object({
    ref: z.string(),
    status: z.string(),
    plate: z.string().nullable(),
    detectedAt: isoInstant.nullable(),
    officerIds: z.array(z.string()),
  })
  .meta({ id: 'SearchViolation' });
export type SearchViolation = z.infer<typeof SearchViolation>;

export const SearchCase = z
  .object({ id: answerId, number: z.string(), title: z.string(), status: z.enum(CASE_STATUSES) })
  .meta({ id: 'SearchCase' });
export type SearchCase = z.infer<typeof SearchCase>;

export const SearchResults = z
  .object({
    vehicles: z.array(SearchVehicle),
    officers: z.array(SearchOfficer),
    cameras: z.array(SearchCamera),
    violations: z.array(SearchViolation),
    cases: z.array(SearchCase),
    /** Results left out because they concern the reader's own officer record or unit. The query is not echoed: it may name them. */
    withheldForRecusal: z.number().int().min(0).meta({ description: "results left out because they concern the reader's own officer record or unit (recusal)" }),
  })
  .meta({ id: 'SearchResults' });
export type SearchResults = z.infer<typeof SearchResults>;

/** What storage finds, before the API withholds what the reader is recused from. */
export type SearchFindings = Omit<SearchResults, 'withheldForRecusal' | 'cases'> & {
  cases: (SearchCase & { subjects: { kind: string; id: string; unit: string | null }[] })[];
};

export const searchEndpoints = {
  search: endpoint({
    method: 'GET',
    path: '/v1/search',
    tag: 'search',
    access: ['prosecutor', 'auditor', 'admin'],
    summary:
      'One search box: vehicles by any look-alike spelling of their plate, officers and cameras by id, violations by ref, cases by number or title words; up to 10 of each. What concerns the reader’s own officer record or unit is withheld and counted.',
    query: SearchQuery,
    response: SearchResults,
  }),
} satisfies Record<string, EndpointContract>;
