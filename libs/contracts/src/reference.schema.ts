import { z } from 'zod';
import { OFFICER_ROLES, SOURCE_KINDS, VEHICLE_KINDS, type ReferenceData } from '@qadaga/domain';
import { instant, sourceCode, text } from './primitives.js';

/**
 * Reference data as the owning systems export it (HR roster, vehicle register, camera
 * inventory, dispatch log). Every list is optional so each system sends only its own.
 */
const shift = z.strictObject({
  days: z.array(z.number().int().min(1).max(7)).min(1).max(7),
  startHour: z.number().int().min(0).max(23),
  endHour: z.number().int().min(1).max(24),
});

export const referenceDataSchema = z.strictObject({
  sources: z.array(z.strictObject({ code: sourceCode, name: text(200), kind: z.enum(SOURCE_KINDS) })).max(1_000).default([]),
  officers: z
    .array(
      z.strictObject({
        id: text(64),
        unit: text(64),
        role: z.enum(OFFICER_ROLES),
        shift,
        absences: z
          .array(z.strictObject({ kind: z.enum(['leave', 'dismissed', 'deceased', 'suspended']), from: instant, to: instant.optional() }))
          .max(1_000)
          .default([]),
      }),
    )
    .max(100_000)
    .default([]),
  vehicles: z.array(z.strictObject({ plate: text(20), kind: z.enum(VEHICLE_KINDS), ownerRef: text(128).optional() })).max(1_000_000).default([]),
  cameras: z.array(z.strictObject({ id: text(64), district: text(120), lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) })).max(100_000).default([]),
  dispatches: z.array(z.strictObject({ id: text(128), plate: text(20), from: instant, to: instant })).max(1_000_000).default([]),
}) satisfies z.ZodType<ReferenceData, unknown>;
