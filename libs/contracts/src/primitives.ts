import { z } from 'zod';

/** PostgreSQL text cannot hold NUL, and no legitimate source sends it: refuse it at the door. */
export const text = (max: number) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters');

/** The same rule as `text` as a plain predicate, for the fast path of valid events. */
export function isText(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= max && !value.includes('\u0000');
}

export const SOURCE_CODE_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,63}$/u;

export const sourceCode = z.string().regex(SOURCE_CODE_PATTERN, 'must be 1-64 lower-case letters, digits, dot, dash or underscore');

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/u;

/** The earliest instant any source of this product can truthfully report. */
export const EARLIEST_INSTANT = Date.UTC(1990, 0, 1);
/** Clocks drift and sources batch; more than a day ahead of our clock is impossible. */
export const FUTURE_TOLERANCE_MS = 24 * 3600 * 1000;

/**
 * An instant with an explicit offset. A local time without an offset is refused: in a
 * country that changed its zone in 2024 it cannot be placed on the time line. Calendar
 * dates are checked for real (no 30 February), which Date parsing alone does not do.
 * Answers the instant in UTC (toISOString), or why it is not one.
 */
export function parseInstant(value: string): { ok: true; iso: string } | { ok: false; message: string } {
  const m = ISO_INSTANT.exec(value);
  if (m === null) return { ok: false, message: 'must be an ISO-8601 date-time with an offset, e.g. 2026-03-01T10:15:00+05:00' };
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6] ?? '0');
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    return { ok: false, message: `is not a real calendar date-time: ${value}` };
  }
  const ms = Date.parse(value);
  if (ms < EARLIEST_INSTANT || ms > Date.now() + FUTURE_TOLERANCE_MS) {
    return { ok: false, message: `is outside the possible range (1990-01-01 to now): ${value}` };
  }
  // Already the form toISOString writes (milliseconds, Z), as most feeds send it: formatting
  // it again would give the same text, at a cost that shows when batches are validated.
  if (value.length === 24 && m[8] === 'Z') return { ok: true, iso: value };
  return { ok: true, iso: new Date(ms).toISOString() };
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

export const instant = z.string().transform((value, ctx) => {
  const parsed = parseInstant(value);
  if (parsed.ok) return parsed.iso;
  ctx.addIssue({ code: 'custom', message: parsed.message });
  return z.NEVER;
});
