import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { prepareExpressions } from '../mapping/evaluate-expression.js';
import { bindHashKeys, type Environment } from '../mapping/hash-keys.js';
import { issuesFromZod, MappingError } from './issues.js';

export interface LoadMappingOptions {
  /** Where keyed hashes read their keys ("hashKeyEnv"); the caller passes its process environment. */
  env?: Environment;
}

/**
 * Reads a mapping from a JSON file (or takes an already parsed object) and validates it,
 * turning every failure, unreadable JSON and a missing hash key included, into a
 * MappingError that names the file and the fields at fault.
 */
export async function loadMapping<T>(pathOrObject: string | object, schema: z.ZodType<T>, options: LoadMappingOptions = {}): Promise<T> {
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
  const keyIssues = bindHashKeys(parsed.data, options.env);
  if (keyIssues.length > 0) throw new MappingError(origin, keyIssues);
  prepareExpressions(parsed.data);
  return parsed.data;
}
