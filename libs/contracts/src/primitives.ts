import { z } from 'zod';

/** PostgreSQL text cannot hold NUL, and no legitimate source sends it: refuse it at the door. */
export const text = (max: number) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters');

export const sourceCode = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/u, 'must be 1-64 lower-case letters, digits, dot, dash or underscore');

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
 */
export const instant = z.string().transform((value, ctx) => {
  const m = ISO_INSTANT.exec(value);
  if (m === null) {
    ctx.addIssue({ code: 'custom', message: 'must be an ISO-8601 date-time with an offset, e.g. 2026-03-01T10:15:00+05:00' });
    return z.NEVER;
  }
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [
    number, number, number, number, number, number,
  ];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) {
    ctx.addIssue({ code: 'custom', message: `is not a real calendar date-time: ${value}` });
    return z.NEVER;
  }
  const ms = Date.parse(value);
  if (ms < EARLIEST_INSTANT || ms > Date.now() + FUTURE_TOLERANCE_MS) {
    ctx.addIssue({ code: 'custom', message: `is outside the possible range (1990-01-01 to now): ${value}` });
    return z.NEVER;
  }
  return new Date(ms).toISOString();
});
