import { z } from 'zod';

/**
 * String.prototype.isWellFormed (ES2024, in Node 20 and current browsers): a native scan
 * for lone UTF-16 surrogates, twice as fast here as a \p{Cs} regex, which stands in where
 * it is missing. The ES2023 library this project compiles against does not declare it.
 */
const isWellFormed =
  (String.prototype as unknown as { isWellFormed?: (this: string) => boolean }).isWellFormed ??
  function (this: string): boolean {
    // With the u flag a surrogate pair is one code point, so \p{Cs} matches only a lone half.
    return !/\p{Cs}/u.test(this);
  };

/**
 * What no stored text may hold: NUL, which PostgreSQL text and jsonb cannot hold, and a
 * lone UTF-16 surrogate, which is no character at all: RFC 8785 refuses it (so the event
 * has no canonical form to hash), jsonb refuses its escape, and UTF-8 encoding would
 * silently turn it into U+FFFD, storing other text than was hashed.
 */
export function isStorableText(s: string): boolean {
  return !s.includes('\u0000') && isWellFormed.call(s);
}

/** Every string of an event passes this. */
export const text = (max: number) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine(isStorableText, 'must not contain NUL characters or unpaired UTF-16 surrogates');

/** The same rule as `text` as a plain predicate, for the fast path of valid events. */
export function isText(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= max && isStorableText(value);
}

/**
 * The largest amount the read model's numeric(14,2) columns hold (fine, paid, owed). A
 * larger amount passed as a number and then failed the whole batch's transaction.
 */
export const MAX_AMOUNT = 999_999_999_999.99;

/** An amount of money: finite, within what the read model stores. */
export const amount = () => z.number().min(0, 'must not be negative').max(MAX_AMOUNT, `must be at most ${MAX_AMOUNT}`);

/**
 * How deep one event's JSON may nest. A valid event nests three levels (event, payload,
 * place); the bound leaves room for a wrong shape to be explained field by field, and is
 * checked on the text before it is parsed (see jsonNestsDeeperThan).
 */
export const MAX_EVENT_NESTING = 32;

/**
 * Whether a JSON text nests objects and arrays deeper than `max`, by one pass over its
 * characters that keeps only a counter: no recursion and no allocation, so a line of
 * thousands of brackets is refused before any parser (or structured clone) recurses
 * into it. Brackets inside strings do not count. Answers false for text that is not
 * JSON at all; the parser then says why.
 */
export function jsonNestsDeeperThan(text: string, max: number): boolean {
  // Nesting deeper than max needs more than max opening brackets. Counting them with the
  // native indexOf settles almost every event (a valid one has four) in a tenth of the
  // time of reading every character, which only a text with that many brackets needs.
  const braces = countUpTo(text, '{', max + 1);
  if (braces + countUpTo(text, '[', max + 1 - braces) <= max) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return false;
}

/** How many times `char` occurs in `text`, counting no further than `limit`. */
function countUpTo(text: string, char: string, limit: number): number {
  let n = 0;
  for (let at = text.indexOf(char); at !== -1 && n < limit; at = text.indexOf(char, at + 1)) n += 1;
  return n;
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
  const offset = m[8] as string;
  if (offset !== 'Z' && !isRealOffset(offset)) {
    return { ok: false, message: `has an offset that no place on Earth uses (from -14:00 to +14:00, minutes below 60): ${value}` };
  }
  const ms = Date.parse(value);
  // Whatever the checks above let through that Date cannot place is refused, not thrown.
  if (Number.isNaN(ms)) return { ok: false, message: `is not a real calendar date-time: ${value}` };
  if (ms < EARLIEST_INSTANT || ms > Date.now() + FUTURE_TOLERANCE_MS) {
    return { ok: false, message: `is outside the possible range (1990-01-01 to now): ${value}` };
  }
  // Already the form toISOString writes (milliseconds, Z), as most feeds send it: formatting
  // it again would give the same text, at a cost that shows when batches are validated.
  if (value.length === 24 && m[8] === 'Z') return { ok: true, iso: value };
  return { ok: true, iso: new Date(ms).toISOString() };
}

/**
 * ±HH:MM, as the pattern guarantees: minutes below 60, and within ±14:00 (Kiribati's
 * +14:00 is the furthest any place uses). Compared as text, which for this fixed form is
 * the numeric order, and costs a fraction of reading the digits out.
 */
function isRealOffset(offset: string): boolean {
  return (offset[4] as string) <= '5' && offset.slice(1) <= '14:00';
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
