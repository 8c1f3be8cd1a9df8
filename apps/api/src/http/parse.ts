import { HttpStatus } from '@nestjs/common';
import type { z } from 'zod';
import { reasonOfIssue } from '@qadaga/contracts/api';
import { apiError } from './api-error.js';

/** Parses a body or query with a zod schema, or answers 400/422 naming every field and reason. */
export function parseOr422<T>(schema: z.ZodType<T>, input: unknown, where: 'body' | 'query' = 'body'): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const reasons = result.error.issues.map((issue) => reasonOfIssue(issue, where));
  throw apiError(where === 'query' ? HttpStatus.BAD_REQUEST : HttpStatus.UNPROCESSABLE_ENTITY, `invalid ${where}`, reasons);
}
