import { HttpStatus } from '@nestjs/common';
import type { z } from 'zod';
import type { FieldErrorAnswer, ReasonCode } from '@qadaga/contracts/api';
import { apiError } from './api-error.js';

/** Parses a body or query with a zod schema, or answers 400/422 naming every field and reason. */
export function parseOr422<T>(schema: z.ZodType<T>, input: unknown, where: 'body' | 'query' = 'body'): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const reasons = result.error.issues.map((issue) => reasonOf(issue, where));
  throw apiError(where === 'query' ? HttpStatus.BAD_REQUEST : HttpStatus.UNPROCESSABLE_ENTITY, `invalid ${where}`, reasons);
}

/**
 * One refused field with its reason as a code and the bound or form it names, so that a
 * browser can say it in its reader's language; the message stays, in English, for others.
 */
export function reasonOf(issue: z.core.$ZodIssue, where: string): FieldErrorAnswer {
  const path = issue.path.length > 0 ? issue.path.join('.') : `(${where})`;
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
      return { ...base, code: codeOf(issue.code) };
  }
}

function codeOf(code: string): ReasonCode {
  return code === 'invalid_union' || code === 'invalid_key' || code === 'invalid_element' || code === 'not_multiple_of' ? 'invalid_value' : 'custom';
}
