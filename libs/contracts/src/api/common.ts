import { z } from 'zod';
import { uuid } from '../ids.js';
import { RULE_REASON_CODES } from './rule-reasons.js';

/**
 * An instant as the API answers it: ISO 8601 in UTC, as toISOString writes it. Servers
 * turn database timestamps into this text before answering; a Date object is not one.
 */
export const isoInstant = z.iso.datetime().meta({ description: 'ISO 8601 instant in UTC', example: '2026-03-01T05:15:00.000Z' });

/** A calendar day (yyyy-mm-dd). */
export const isoDate = z.iso.date();

/** A query's instant: any ISO 8601 date-time with an offset. */
export const queryInstant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with an offset, e.g. 2026-03-01T00:00:00Z' });

/** A comma-separated list in a query (`severity=high,critical`), each item one of `values`. */
export const csvOf = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .meta({ description: `comma-separated, each one of: ${values.join(', ')}` })
    .transform((s) => s.split(',').filter((x) => x !== ''))
    .pipe(z.array(z.enum(values)));

/** A free text stated with a change: why a flag was dismissed, why a case closed. */
export const statedReason = z.string().trim().min(3, 'state why (at least 3 characters)').max(2_000);

export const pathId = (what: string) => z.object({ id: uuid.meta({ description: `the ${what}'s id` }) });

/**
 * Why a field was refused, in words a browser can translate: too short or too long (a
 * text's length, a number's size, a list's count), not of the expected form (a date-time,
 * a UUID), not one of the allowed choices, of the wrong type or missing, or a rule of
 * the endpoint's own (custom: the message says which).
 */
export const REASON_CODES = ['too_small', 'too_big', 'invalid_format', 'invalid_value', 'invalid_type', 'unrecognized_keys', 'custom'] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

/** One field a request got wrong, and why. */
export const FieldErrorSchema = z
  .object({
    path: z.string(),
    message: z.string(),
    /** Why, as a code a client can put in its reader's language (see ReasonCode, and RuleReasonCode for a refused rule draft); the message says it in English. */
    code: z.enum([...REASON_CODES, ...RULE_REASON_CODES]).optional(),
    /** The bound, format or choices the code refers to, e.g. { minimum: 3 }. */
    params: z.record(z.string(), z.union([z.number(), z.string(), z.array(z.string())])).optional(),
  })
  .meta({ id: 'FieldError' });
export type FieldErrorAnswer = z.infer<typeof FieldErrorSchema>;

/**
 * One refused field with its reason as a code and the bound or form it names, so that a
 * browser can say it in its reader's language; the message stays, in English, for others.
 * `where` names the whole input when the issue is about it rather than one field.
 */
export function reasonOfIssue(issue: z.core.$ZodIssue, where: string, path = issue.path.length > 0 ? issue.path.join('.') : `(${where})`): FieldErrorAnswer {
  const base = { path, message: issue.message };
  switch (issue.code) {
    case 'too_small':
      return { ...base, code: 'too_small', params: { minimum: Number(issue.minimum), origin: issue.origin } };
    case 'too_big':
      return { ...base, code: 'too_big', params: { maximum: Number(issue.maximum), origin: issue.origin } };
    case 'invalid_format':
      return { ...base, code: 'invalid_format', params: { format: issue.format } };
    case 'invalid_value':
      return { ...base, code: 'invalid_value', params: { values: issue.values.map(String) } };
    case 'invalid_type':
      return { ...base, code: 'invalid_type', params: { expected: issue.expected } };
    case 'unrecognized_keys':
      return { ...base, code: 'unrecognized_keys', params: { keys: issue.keys } };
    default:
      return { ...base, code: issue.code === 'invalid_union' || issue.code === 'invalid_key' || issue.code === 'invalid_element' || issue.code === 'not_multiple_of' ? 'invalid_value' : 'custom' };
  }
}

/** The body of every 4xx: what was wrong, and each field and reason. */
export const ApiErrorBody = z
  .object({ statusCode: z.number().int(), error: z.string(), message: z.string(), reasons: z.array(FieldErrorSchema) })
  .meta({ id: 'ApiError' });
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

/** An id the server answers with (already lower case: answers carry no transforms). */
export const answerId = z.guid();

/** The id of something just created. */
export const Created = z.object({ id: answerId });
