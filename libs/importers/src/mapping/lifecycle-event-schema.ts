import {
  ACTOR_KINDS,
  AMENDABLE_FIELDS,
  APPEAL_OUTCOMES,
  NOTICE_CHANNELS,
  REJECTION_REASONS,
  type EventType,
  type LifecycleEvent,
  type PayloadByType,
} from '@qadaga/domain';
import { z } from 'zod';

/**
 * Runtime schemas of the domain's LifecycleEvent. Every event an importer builds is
 * checked against them, so a value of the wrong shape (an article that is not text, a
 * reason code outside the list) rejects that one record with the field's path instead of
 * reaching the ledger. The `satisfies` clauses tie each schema to the domain types: if
 * events.ts changes, this file stops compiling.
 */

const money = z.strictObject({ amount: z.number().finite(), mrp: z.number().finite().positive().optional() });
const place = z.strictObject({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  district: z.string().optional(),
  address: z.string().optional(),
});
const text = z.string().min(1);
const common = { sourceActivity: z.string().optional() };
const amendValue = z.union([z.string(), z.number().finite(), z.null()]);

export const PAYLOAD_SCHEMAS = {
  detected: z.strictObject({
    ...common,
    plate: text.optional(),
    cameraId: text.optional(),
    place: place.optional(),
    article: text,
    speed: z.number().finite().nonnegative().optional(),
    speedLimit: z.number().finite().nonnegative().optional(),
    fine: money.optional(),
    mediaSha256: z.string().regex(/^[0-9a-f]{64}$/u, 'expected 64 lower-case hex digits').optional(),
    vehicleClass: text.optional(),
  }),
  review_assigned: z.strictObject({ ...common, officerId: text, unit: text.optional() }),
  confirmed: z.strictObject({ ...common, fine: money.optional() }),
  rejected: z.strictObject({ ...common, reasonCode: z.enum(REJECTION_REASONS), reasonText: z.string().optional() }),
  amended: z.strictObject({
    ...common,
    field: z.enum(AMENDABLE_FIELDS),
    before: amendValue,
    after: amendValue,
    reason: z.string().optional(),
  }),
  notice_issued: z.strictObject({
    ...common,
    noticeNumber: text,
    fine: money.optional(),
    ownerRef: text.optional(),
    channel: z.enum(NOTICE_CHANNELS).optional(),
  }),
  notice_delivered: z.strictObject({ ...common, noticeNumber: text.optional(), channel: z.enum(NOTICE_CHANNELS).optional() }),
  paid: z.strictObject({
    ...common,
    amount: z.number().finite(),
    discountApplied: z.boolean().optional(),
    paymentRef: text.optional(),
  }),
  cancelled: z.strictObject({
    ...common,
    reasonCode: text,
    reasonText: z.string().optional(),
    legalBasis: z.string().optional(),
    reference: text.optional(),
    effectiveAt: z.iso.datetime({ offset: false, precision: 3 }).optional(),
  }),
  appealed: z.strictObject({
    ...common,
    appealRef: text.optional(),
    body: z.enum(['prefecture', 'court', 'official', 'other']).optional(),
    reasonText: z.string().optional(),
  }),
  appeal_decided: z.strictObject({
    ...common,
    appealRef: text.optional(),
    outcome: z.enum(APPEAL_OUTCOMES),
    amount: z.number().finite().optional(),
  }),
  expired: z.strictObject({ ...common }),
  sent_to_enforcement: z.strictObject({ ...common, amountDue: z.number().finite().optional() }),
} satisfies { [T in EventType]: z.ZodType<PayloadByType[T]> };

export type PayloadSchema = (typeof PAYLOAD_SCHEMAS)[EventType];

const actor = z.strictObject({
  kind: z.enum(ACTOR_KINDS),
  id: text,
  unit: text.optional(),
  workstation: text.optional(),
});

/** What toUtcInstant produces: an ISO-8601 UTC instant with milliseconds. */
const instant = z.iso.datetime({ offset: false, precision: 3 });

function envelope<T extends EventType>(type: T) {
  return z.strictObject({
    source: text,
    eventId: text,
    violationRef: text,
    type: z.literal(type),
    occurredAt: instant,
    recordedAt: instant.optional(),
    actor,
    payload: PAYLOAD_SCHEMAS[type],
  });
}

export const lifecycleEventSchema = z.discriminatedUnion('type', [
  envelope('detected'),
  envelope('review_assigned'),
  envelope('confirmed'),
  envelope('rejected'),
  envelope('amended'),
  envelope('notice_issued'),
  envelope('notice_delivered'),
  envelope('paid'),
  envelope('cancelled'),
  envelope('appealed'),
  envelope('appeal_decided'),
  envelope('expired'),
  envelope('sent_to_enforcement'),
]) satisfies z.ZodType<LifecycleEvent>;
