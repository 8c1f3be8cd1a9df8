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
import { MAX_AMOUNT, SOURCE_CODE_PATTERN, amount, instant, isText, parseInstant, sourceCode, text } from './primitives.js';

/**
 * The wire contract of one lifecycle event. Objects are strict: a misspelt field is an
 * error that names it, not a value silently lost from the evidence.
 */

const money = z.strictObject({
  amount: amount(),
  mrp: z.number().positive().max(MAX_AMOUNT, `must be at most ${MAX_AMOUNT}`).optional(),
});

/**
 * Where it happened: coordinates, or only the district or address when the source records
 * no coordinates (many registers write a street and a district). Coordinates go in pairs.
 */
const place = z
  .strictObject({
    lat: z.number().min(-90).max(90).optional(),
    lon: z.number().min(-180).max(180).optional(),
    district: text(120).optional(),
    address: text(300).optional(),
  })
  .refine((p) => (p.lat === undefined) === (p.lon === undefined), { message: 'lat and lon go together: give both or neither', path: ['lon'] })
  .refine((p) => p.lat !== undefined || p.district !== undefined || p.address !== undefined, {
    message: 'a place needs coordinates (lat and lon), a district or an address',
  });

const common = { sourceActivity: text(200).optional() };
const sha256 = z.string().regex(/^[0-9a-f]{64}$/u, 'must be a lower-case hex SHA-256');
// An amended amount becomes the violation's fine, so a number is held to what that column stores.
const scalar = z.union([text(300), z.number().min(-MAX_AMOUNT, `must be at least -${MAX_AMOUNT}`).max(MAX_AMOUNT, `must be at most ${MAX_AMOUNT}`), z.null()]);

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
    amount: amount(),
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
    amount: amount().optional(),
  }),
  expired: z.strictObject({ ...common }),
  sent_to_enforcement: z.strictObject({ ...common, amountDue: amount().optional() }),
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

/**
 * One step of a field path as written: a plain name or index as it is, any other key
 * (empty, with dots or commas, with characters that do not print) as a JSON string, so
 * every path names its field unambiguously (payload."" rather than an empty path).
 */
function pathSegment(key: PropertyKey): string {
  const name = String(key);
  return /^[A-Za-z_$][\w$]*$|^\d+$/u.test(name) ? name : JSON.stringify(name);
}

function toFieldErrors(issues: readonly z.core.$ZodIssue[], prefix: string[] = []): FieldError[] {
  return issues.map((issue) => {
    const path = [...prefix, ...issue.path.map(pathSegment)];
    const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys.map(pathSegment) : [];
    return {
      path: unknownKeys.length > 0 ? [...path, unknownKeys.join(',')].join('.') : path.join('.') || '(event)',
      message: unknownKeys.length > 0 ? `unknown field${unknownKeys.length > 1 ? 's' : ''}` : issue.message,
    };
  });
}

/**
 * Validates one event and reports every problem at once (envelope and payload), so a
 * source fixes its feed in one round trip. Valid events take the common-case path; the
 * full schema runs only for the rest, and explains every rejection.
 */
export function validateLifecycleEvent(input: unknown): EventValidation {
  const event = validateCommonCase(input);
  return event === undefined ? explainLifecycleEvent(input) : { ok: true, event };
}

const ENVELOPE_KEYS: ReadonlySet<string> = new Set(Object.keys(envelopeSchema.shape));
const ACTOR_KEYS: ReadonlySet<string> = new Set(Object.keys(actor.shape));
const EVENT_TYPE_SET: ReadonlySet<string> = new Set(EVENT_TYPES);
const ACTOR_KIND_SET: ReadonlySet<string> = new Set(ACTOR_KINDS);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function hasOnly(value: Record<string, unknown>, allowed: ReadonlySet<string>): boolean {
  for (const key of Object.keys(value)) if (!allowed.has(key) || value[key] === undefined) return false;
  return true;
}

/**
 * The envelope checked by plain code (the zod envelope, with its instant transforms, is
 * most of validation's cost), the payload by its zod schema. Answers the event exactly
 * as the full schema would, or undefined whenever anything is not plainly valid; it
 * never rejects, so the full schema stays the one judge of what is wrong.
 */
export function validateCommonCase(input: unknown): LifecycleEvent | undefined {
  if (!isPlainObject(input) || !hasOnly(input, ENVELOPE_KEYS)) return undefined;
  const { source, eventId, violationRef, type, occurredAt, recordedAt, actor: who, payload } = input;
  if (typeof source !== 'string' || !SOURCE_CODE_PATTERN.test(source) || !isText(eventId, 200) || !isText(violationRef, 200)) return undefined;
  if (typeof type !== 'string' || !EVENT_TYPE_SET.has(type) || typeof occurredAt !== 'string') return undefined;
  if (!isPlainObject(who) || !hasOnly(who, ACTOR_KEYS) || typeof who['kind'] !== 'string' || !ACTOR_KIND_SET.has(who['kind'])) return undefined;
  const { kind, id, unit, workstation } = who;
  if (!isText(id, 128) || (unit !== undefined && !isText(unit, 64)) || (workstation !== undefined && !isText(workstation, 64))) return undefined;
  const payloadSchema = payloadSchemas[type as keyof typeof payloadSchemas] as z.ZodType | undefined;
  if (payloadSchema === undefined || !isPlainObject(payload)) return undefined;
  const occurred = parseInstant(occurredAt);
  if (!occurred.ok) return undefined;
  let recorded: string | undefined;
  if (recordedAt !== undefined) {
    const parsed = typeof recordedAt === 'string' ? parseInstant(recordedAt) : undefined;
    if (parsed?.ok !== true) return undefined;
    recorded = parsed.iso;
  }
  const parsedPayload = payloadSchema.safeParse(payload);
  if (!parsedPayload.success) return undefined;
  const actorOut: Record<string, unknown> = { kind, id };
  if (unit !== undefined) actorOut['unit'] = unit;
  if (workstation !== undefined) actorOut['workstation'] = workstation;
  const event: Record<string, unknown> = { source, eventId, violationRef, type, occurredAt: occurred.iso };
  if (recorded !== undefined) event['recordedAt'] = recorded;
  event['actor'] = actorOut;
  event['payload'] = parsedPayload.data;
  return event as unknown as LifecycleEvent;
}

/** The full schema: every problem of an event with its field path. */
export function explainLifecycleEvent(input: unknown): EventValidation {
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

/**
 * The event as a source writes it, one variant per type, for the API's description (the
 * server judges events with validateLifecycleEvent, which names every field that is wrong).
 */
export const lifecycleEventDocSchema = z.union(
  Object.entries(payloadSchemas).map(([type, payload]) =>
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
  ) as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]],
);

/** JSON Schema of the event, for the OpenAPI description. */
export function lifecycleEventJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(lifecycleEventDocSchema, {
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
}
