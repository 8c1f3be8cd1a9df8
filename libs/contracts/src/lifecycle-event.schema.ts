import { z } from 'zod';
import {
  ACTOR_KINDS,
  AMENDABLE_FIELDS,
  APPEAL_OUTCOMES,
  EVENT_TYPES,
  NOTICE_CHANNELS,
  REJECTION_REASONS,
  type LifecycleEvent,
} from '@qadaga/domain';
import { instant, sourceCode, text } from './primitives.js';

/**
 * The wire contract of one lifecycle event. Objects are strict: a misspelt field is an
 * error that names it, not a value silently lost from the evidence.
 */

const money = z.strictObject({
  amount: z.number().min(0, 'must not be negative'),
  mrp: z.number().positive().optional(),
});

const place = z.strictObject({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  district: text(120).optional(),
  address: text(300).optional(),
});

const common = { sourceActivity: text(200).optional() };
const sha256 = z.string().regex(/^[0-9a-f]{64}$/u, 'must be a lower-case hex SHA-256');
const scalar = z.union([text(300), z.number(), z.null()]);

export const payloadSchemas = {
  detected: z.strictObject({
    ...common,
    plate: text(20).optional(),
    cameraId: text(64).optional(),
    place: place.optional(),
    article: text(64),
    speed: z.number().min(0).max(500).optional(),
    speedLimit: z.number().min(0).max(300).optional(),
    fine: money.optional(),
    mediaSha256: sha256.optional(),
    vehicleClass: text(32).optional(),
  }),
  review_assigned: z.strictObject({ ...common, officerId: text(64), unit: text(64).optional() }),
  confirmed: z.strictObject({ ...common, fine: money.optional() }),
  rejected: z.strictObject({ ...common, reasonCode: z.enum(REJECTION_REASONS), reasonText: text(1000).optional() }),
  amended: z.strictObject({
    ...common,
    field: z.enum(AMENDABLE_FIELDS),
    before: scalar,
    after: scalar,
    reason: text(1000).optional(),
  }),
  notice_issued: z.strictObject({
    ...common,
    noticeNumber: text(64),
    fine: money.optional(),
    ownerRef: text(128).optional(),
    channel: z.enum(NOTICE_CHANNELS).optional(),
  }),
  notice_delivered: z.strictObject({
    ...common,
    noticeNumber: text(64).optional(),
    channel: z.enum(NOTICE_CHANNELS).optional(),
  }),
  paid: z.strictObject({
    ...common,
    amount: z.number().min(0, 'must not be negative'),
    discountApplied: z.boolean().optional(),
    paymentRef: text(128).optional(),
  }),
  cancelled: z.strictObject({
    ...common,
    reasonCode: text(64),
    reasonText: text(1000).optional(),
    legalBasis: text(300).optional(),
    reference: text(128).optional(),
    effectiveAt: instant.optional(),
  }),
  appealed: z.strictObject({
    ...common,
    appealRef: text(128).optional(),
    body: z.enum(['prefecture', 'court', 'official', 'other']).optional(),
    reasonText: text(1000).optional(),
  }),
  appeal_decided: z.strictObject({
    ...common,
    appealRef: text(128).optional(),
    outcome: z.enum(APPEAL_OUTCOMES),
    amount: z.number().min(0).optional(),
  }),
  expired: z.strictObject({ ...common }),
  sent_to_enforcement: z.strictObject({ ...common, amountDue: z.number().min(0).optional() }),
} as const;

const actor = z.strictObject({
  kind: z.enum(ACTOR_KINDS),
  id: text(128),
  unit: text(64).optional(),
  workstation: text(64).optional(),
});

/** Envelope fields shared by every type; the payload is checked against its type afterwards. */
export const envelopeSchema = z.strictObject({
  source: sourceCode,
  eventId: text(200),
  violationRef: text(200),
  type: z.enum(EVENT_TYPES, { message: `must be one of: ${EVENT_TYPES.join(', ')}` }),
  occurredAt: instant,
  recordedAt: instant.optional(),
  actor,
  payload: z.record(z.string(), z.unknown()),
});

export interface FieldError {
  /** JSON path of the offending field, e.g. "payload.speed" or "occurredAt". */
  path: string;
  message: string;
}

export type EventValidation = { ok: true; event: LifecycleEvent } | { ok: false; errors: FieldError[] };

function toFieldErrors(issues: readonly z.core.$ZodIssue[], prefix: string[] = []): FieldError[] {
  return issues.map((issue) => {
    const path = [...prefix, ...issue.path.map(String)];
    const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    return {
      path: unknownKeys.length > 0 ? [...path, unknownKeys.join(',')].join('.') : path.join('.') || '(event)',
      message: unknownKeys.length > 0 ? `unknown field${unknownKeys.length > 1 ? 's' : ''}` : issue.message,
    };
  });
}

/**
 * Validates one event and reports every problem at once (envelope and payload), so a
 * source fixes its feed in one round trip.
 */
export function validateLifecycleEvent(input: unknown): EventValidation {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ path: '(event)', message: 'must be a JSON object' }] };
  }
  const envelope = envelopeSchema.safeParse(input);
  const errors = envelope.success ? [] : toFieldErrors(envelope.error.issues);
  const type = (input as { type?: unknown }).type;
  const payloadSchema = typeof type === 'string' ? payloadSchemas[type as keyof typeof payloadSchemas] : undefined;
  let payload: unknown;
  if (payloadSchema !== undefined) {
    const parsed = payloadSchema.safeParse((input as { payload?: unknown }).payload);
    if (parsed.success) payload = parsed.data;
    // The envelope already reports a payload that is missing or not an object.
    else if (envelope.success || !errors.some((e) => e.path === 'payload')) errors.push(...toFieldErrors(parsed.error.issues, ['payload']));
  }
  if (!envelope.success || errors.length > 0) return { ok: false, errors };
  const e = envelope.data;
  const event = { ...e, payload } as LifecycleEvent;
  if (event.recordedAt === undefined) delete (event as { recordedAt?: string }).recordedAt;
  return { ok: true, event };
}

/** JSON Schema of the event, for the OpenAPI description. */
export function lifecycleEventJsonSchema(): Record<string, unknown> {
  const variants = Object.entries(payloadSchemas).map(([type, payload]) =>
    z.object({
      source: sourceCode,
      eventId: text(200),
      violationRef: text(200),
      type: z.literal(type),
      occurredAt: z.string().describe('ISO-8601 date-time with offset'),
      recordedAt: z.string().optional().describe('ISO-8601 date-time with offset'),
      actor,
      payload,
    }),
  );
  return z.toJSONSchema(z.union(variants as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]), {
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
}
