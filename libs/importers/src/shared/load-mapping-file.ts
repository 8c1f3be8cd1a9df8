import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { issuesFromZod, MappingError } from './issues.js';

/**
 * Reads a mapping from a JSON file (or takes an already parsed object) and validates it,
 * turning every failure, unreadable JSON included, into a MappingError that names the
 * file and the fields at fault.
 */
export async function loadMapping<T>(pathOrObject: string | object, schema: z.ZodType<T>): Promise<T> {
  let origin = 'mapping object';
  let candidate: unknown = pathOrObject;
  if (typeof pathOrObject === 'string') {
    origin = pathOrObject;
    const text = await readFile(pathOrObject, 'utf8');
    try {
      candidate = JSON.parse(text);
    } catch (error) {
      throw new MappingError(origin, [{ path: '(file)', message: `not valid JSON: ${(error as Error).message}` }]);
    }
  }
  const parsed = schema.safeParse(candidate);
  if (!parsed.success) throw new MappingError(origin, issuesFromZod(parsed.error));
  return parsed.data;
}
