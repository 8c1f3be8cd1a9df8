import { z } from 'zod';
import { referenceDataSchema } from '../reference.schema.js';
import { endpoint, type EndpointContract } from './endpoint.js';

/** How many of each list a load upserted. */
export const ReferenceLoadCounts = z
  .object({ sources: z.number().int(), officers: z.number().int(), vehicles: z.number().int(), cameras: z.number().int(), dispatches: z.number().int() })
  .meta({ id: 'ReferenceLoadCounts' });
export type ReferenceLoadCounts = z.infer<typeof ReferenceLoadCounts>;

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
} satisfies Record<string, EndpointContract>;
