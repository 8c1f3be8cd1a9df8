/**
 * Instants are stored in UTC with millisecond precision. A source may send any ISO-8601
 * instant with an offset; a date-time without an offset is ambiguous and refused by the
 * contracts, so here we only normalise.
 */
export function toUtcInstant(value: string | Date): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not an instant: ${String(value)}`);
  return date.toISOString();
}
