import { z } from 'zod';

/**
 * A UUID as every layer compares it: RFC 9562 reads the hex digits in either case, but
 * the database answers lower case and the access log records what it is given. Folding
 * to lower case at the door keeps one subject one string, so a check that looks an id up
 * in a map, or a log that names it, cannot be led astray by the same id in upper case.
 */
export const uuid = z.uuid('must be a UUID').transform((id) => id.toLowerCase());

/** The canonical (lower-case) form of a UUID, or null when the text is not one. */
export function canonicalUuid(value: string): string | null {
  const parsed = uuid.safeParse(value);
  return parsed.success ? parsed.data : null;
}
