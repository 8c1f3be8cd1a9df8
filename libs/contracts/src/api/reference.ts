import { z } from 'zod';
import { referenceDataSchema } from '../reference.schema.js';
import { endpoint, type EndpointContract } from './endpoint.js';

/** How many of each list a load upserted. */
export const ReferenceLoadCounts = z
  .object({ sources: z.number().int(), officers: z.number().int(), vehicles: z.number().int(), cameras: z.number().int(), dispatches: z.number().int() })
  .meta({ id: 'ReferenceLoadCounts' });
export type ReferenceLoadCounts = z.infer<typeof ReferenceLoadCounts>;

/** The roster as pickers need it: officers with their unit, and the units. */
export const Roster = z
  .object({
    officers: z.array(z.object({ id: z.string(), unit: z.string() })),
    units: z.array(z.string()),
    /** Officers or units the caller is recused from: left out, counted here. */
    withheld: z.number().int(),
  })
  .meta({ id: 'Roster' });
export type Roster = z.infer<typeof Roster>;

export const referenceEndpoints = {
  load: endpoint({
    method: 'POST',
    path: '/v1/reference',
    tag: 'reference',
    access: ['admin'],
    summary:
      'Load reference data the rules judge against: sources with their kind, the officer roster (units, roles, shifts, absences), the vehicle register, cameras and emergency dispatches. Upserted; loading the same export twice changes nothing.',
    body: referenceDataSchema,
    response: ReferenceLoadCounts,
    status: 200,
  }),
  roster: endpoint({
    method: 'GET',
    path: '/v1/reference/officers',
    tag: 'reference',
    access: ['prosecutor', 'auditor', 'admin'],
    summary:
      'The officer roster for pickers: officers (id and unit) whose id starts with q, at most 2,000, and every unit. Officers and units the caller is recused from are left out. Written to the access log',
    query: z.strictObject({ q: z.string().trim().max(64).optional() }),
    response: Roster,
  }),
} satisfies Record<string, EndpointContract>;
