/**
 * Turning a source's local date text into an instant. The domain refuses a date-time
 * without an offset because it is ambiguous, so every path here needs either an offset
 * in the text or an explicit zone from the mapping: nothing falls back to the zone of
 * the machine that happens to run the import.
 */

/** "Z", a fixed offset such as "+05:00" / "-0330", or an IANA zone such as "Asia/Almaty". */
export type ZoneSpec = string;

const FIXED_OFFSET = /^(?:Z|UTC|([+-])(\d{2}):?(\d{2}))$/u;

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/u;

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

/** True when the zone is a fixed offset or a zone the runtime's ICU data knows. */
export function isValidZone(zone: ZoneSpec): boolean {
  if (FIXED_OFFSET.test(zone)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function fixedOffsetMinutes(zone: ZoneSpec): number | undefined {
  const match = FIXED_OFFSET.exec(zone);
  if (match === null) return undefined;
  const [, sign, hours, minutes] = match;
  if (sign === undefined || hours === undefined || minutes === undefined) return 0;
  const total = Number(hours) * 60 + Number(minutes);
  return sign === '-' ? -total : total;
}

const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

function zoneFormatter(zone: string): Intl.DateTimeFormat {
  let formatter = zoneFormatters.get(zone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    zoneFormatters.set(zone, formatter);
  }
  return formatter;
}

/** Offset of an IANA zone from UTC, in minutes, at the given instant, asking the ICU data. */
function lookUpIanaOffsetMinutes(zone: string, utcMillis: number): number {
  const parts: Record<string, number> = {};
  for (const part of zoneFormatter(zone).formatToParts(new Date(utcMillis))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const asIfUtc = Date.UTC(
    parts['year'] ?? 1970,
    (parts['month'] ?? 1) - 1,
    parts['day'] ?? 1,
    parts['hour'] ?? 0,
    parts['minute'] ?? 0,
    parts['second'] ?? 0,
  );
  const wholeSeconds = utcMillis - (((utcMillis % 1000) + 1000) % 1000);
  return Math.round((asIfUtc - wholeSeconds) / 60_000);
}

const DAY_MS = 86_400_000;
/** Per zone: UTC day number -> the offset that holds all that day, or null when it changes within it. */
const dayOffsets = new Map<string, Map<number, number | null>>();
const MAX_CACHED_DAYS = 100_000;

/**
 * Offset of an IANA zone from UTC, in minutes, at the given instant. Asking ICU costs
 * about 8 µs and an import reads hundreds of thousands of dates, most of them on a few
 * thousand days; a day whose offset is the same at its first and last millisecond is
 * answered from a cache, and a day with a change (two a year at most) is asked exactly.
 */
function ianaOffsetMinutes(zone: string, utcMillis: number): number {
  let days = dayOffsets.get(zone);
  if (days === undefined) {
    days = new Map();
    dayOffsets.set(zone, days);
  }
  const day = Math.floor(utcMillis / DAY_MS);
  let offset = days.get(day);
  if (offset === undefined) {
    const atStart = lookUpIanaOffsetMinutes(zone, day * DAY_MS);
    const atEnd = lookUpIanaOffsetMinutes(zone, day * DAY_MS + DAY_MS - 1);
    offset = atStart === atEnd ? atStart : null;
    if (days.size >= MAX_CACHED_DAYS) days.clear();
    days.set(day, offset);
  }
  return offset ?? lookUpIanaOffsetMinutes(zone, utcMillis);
}

/**
 * The UTC instant of a wall-clock time in a zone. For an IANA zone the offsets a day
 * before and a day after are compared: equal (almost always) settles it. Otherwise each
 * of the two readings counts only if the zone really has that offset at that instant;
 * inside an overlap both do and the earlier wins, inside a gap neither does and the
 * earlier is taken too (documented in docs/import-mapping.md).
 */
export function localToUtc(local: LocalDateTime, zone: ZoneSpec): Date {
  const asIfUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second, local.millisecond);
  const fixed = fixedOffsetMinutes(zone);
  if (fixed !== undefined) return new Date(asIfUtc - fixed * 60_000);
  const before = ianaOffsetMinutes(zone, asIfUtc - DAY_MS);
  const after = ianaOffsetMinutes(zone, asIfUtc + DAY_MS);
  if (before === after) return new Date(asIfUtc - before * 60_000);
  const readingBefore = asIfUtc - before * 60_000;
  const readingAfter = asIfUtc - after * 60_000;
  const beforeHolds = ianaOffsetMinutes(zone, readingBefore) === before;
  const afterHolds = ianaOffsetMinutes(zone, readingAfter) === after;
  if (beforeHolds !== afterHolds) return new Date(beforeHolds ? readingBefore : readingAfter);
  return new Date(Math.min(readingBefore, readingAfter));
}

function isRealCalendarDate(local: LocalDateTime): boolean {
  const probe = new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second));
  return (
    probe.getUTCFullYear() === local.year &&
    probe.getUTCMonth() === local.month - 1 &&
    probe.getUTCDate() === local.day &&
    probe.getUTCHours() === local.hour &&
    probe.getUTCMinutes() === local.minute &&
    probe.getUTCSeconds() === local.second
  );
}

export type ParsedInstant = { ok: true; instant: Date } | { ok: false; reason: string };

/**
 * Parses an ISO-8601 date or date-time (the lexical form of XES's xs:dateTime too).
 * Without an offset in the text, `zone` decides; with neither, the value is refused.
 */
export function parseIsoDateTime(raw: string, zone?: ZoneSpec): ParsedInstant {
  const match = ISO_DATE_TIME.exec(raw.trim());
  if (match === null) return { ok: false, reason: `"${raw}" is not an ISO-8601 date-time` };
  const [, y, mo, d, h, mi, s, frac, offset] = match;
  const local: LocalDateTime = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h ?? 0),
    minute: Number(mi ?? 0),
    second: Number(s ?? 0),
    millisecond: frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000),
  };
  if (!isRealCalendarDate(local)) return { ok: false, reason: `"${raw}" is not a real calendar date-time` };
  const effectiveZone = offset ?? zone;
  if (effectiveZone === undefined) {
    return { ok: false, reason: `"${raw}" has no UTC offset and no time zone is configured` };
  }
  return { ok: true, instant: localToUtc(local, effectiveZone) };
}

/**
 * The tokens a mapping may use in a date format (the Unicode date-field letters that
 * spreadsheet and database exports also use); text in single quotes and every other
 * character is literal. Longer tokens are listed first so "MMM" is not read as "MM" "M".
 */
const FORMAT_TOKENS = ['yyyy', 'MMMM', 'MMM', 'MM', 'M', 'dd', 'd', 'HH', 'H', 'hh', 'h', 'mm', 'ss', 'SSS', 'a', 'X', 'x'] as const;
type FormatToken = (typeof FORMAT_TOKENS)[number];

const MONTH_NAMES = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH_ABBREVIATIONS = MONTH_NAMES.map((name) => name.slice(0, 3));

const TOKEN_PATTERNS: Record<FormatToken, string> = {
  yyyy: '(\\d{4})',
  MMMM: `(${MONTH_NAMES.join('|')})`,
  MMM: `(${MONTH_ABBREVIATIONS.join('|')})`,
  MM: '(\\d{2})',
  M: '(\\d{1,2})',
  dd: '(\\d{2})',
  d: '(\\d{1,2})',
  HH: '(\\d{2})',
  H: '(\\d{1,2})',
  hh: '(\\d{2})',
  h: '(\\d{1,2})',
  mm: '(\\d{2})',
  ss: '(\\d{2})',
  SSS: '(\\d{3})',
  // "PM", "pm", and the bare "P" of exports that print 06:41P.
  a: '([ap])m?',
  X: '(\\d{1,12})',
  x: '(\\d{1,15})',
};

interface CompiledFormat {
  regex: RegExp;
  tokens: FormatToken[];
  /** Why the format cannot be used, if it cannot. */
  problem: string | undefined;
}

const compiledFormats = new Map<string, CompiledFormat>();

function escapeLiteral(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
}

function formatProblem(tokens: readonly FormatToken[]): string | undefined {
  const has = (...names: FormatToken[]): boolean => names.some((n) => tokens.includes(n));
  if (has('X', 'x')) return tokens.length === 1 ? undefined : '"X" (Unix seconds) and "x" (Unix milliseconds) stand alone in a format';
  if (!has('yyyy') || !has('MMMM', 'MMM', 'MM', 'M') || !has('dd', 'd')) return 'needs at least yyyy, MM and dd (a month may also be M, MMM or MMMM, a day d), or is "iso", "X" or "x"';
  if (has('hh', 'h') !== has('a')) return has('a') ? 'the AM/PM marker "a" goes with a 12-hour clock (hh or h), not HH' : 'a 12-hour clock (hh or h) needs the AM/PM marker "a"';
  if (has('hh', 'h') && has('HH', 'H')) return 'use either a 12-hour (hh, h) or a 24-hour clock (HH, H), not both';
  return undefined;
}

/** Compiles a format once into a regular expression; an import applies the same few formats to every record. */
function compileFormat(format: string): CompiledFormat {
  const cached = compiledFormats.get(format);
  if (cached !== undefined) return cached;
  const tokens: FormatToken[] = [];
  let pattern = '';
  let at = 0;
  while (at < format.length) {
    if (format[at] === "'") {
      // A quoted literal ('T', 'at'); two quotes in a row stand for one.
      const close = format.indexOf("'", at + 1);
      const end = close < 0 ? format.length : close;
      pattern += end === at + 1 ? "'" : escapeLiteral(format.slice(at + 1, end));
      at = end + 1;
      continue;
    }
    const token = FORMAT_TOKENS.find((t) => format.startsWith(t, at));
    if (token !== undefined) {
      tokens.push(token);
      pattern += TOKEN_PATTERNS[token];
      at += token.length;
    } else {
      pattern += escapeLiteral(format.charAt(at));
      at += 1;
    }
  }
  // Case-insensitive for month names and AM/PM only: digits and punctuation have no case.
  const compiled = { regex: new RegExp(`^${pattern}$`, 'iu'), tokens, problem: formatProblem(tokens) };
  compiledFormats.set(format, compiled);
  return compiled;
}

/** Why a date format cannot be used, or undefined when it can. */
export function dateFormatProblem(format: string): string | undefined {
  return format === 'iso' ? undefined : compileFormat(format).problem;
}

/** True when the format names at least a year, a month and a day (or is "iso", "X" or "x"). */
export function isUsableDateFormat(format: string): boolean {
  return dateFormatProblem(format) === undefined;
}

/** Whether a format reads instants that carry no wall-clock time (Unix time), so no zone is needed. */
export function isEpochFormat(format: string): boolean {
  return format === 'X' || format === 'x';
}

function parseEpoch(raw: string, format: 'X' | 'x'): ParsedInstant {
  const text = raw.trim();
  const { regex } = compileFormat(format);
  if (!regex.test(text)) return { ok: false, reason: `"${raw}" is not Unix time in ${format === 'X' ? 'seconds' : 'milliseconds'}` };
  const instant = new Date(Number(text) * (format === 'X' ? 1000 : 1));
  return Number.isNaN(instant.getTime()) ? { ok: false, reason: `"${raw}" is beyond the dates this program can hold` } : { ok: true, instant };
}

/**
 * Parses a date-time written in `format` ("iso", tokens such as "dd.MM.yyyy HH:mm" or
 * "M/d/yyyy h:mma", or "X" / "x" for Unix seconds / milliseconds) as wall-clock time in
 * `zone`; a format without a time reads midnight. An "iso" value that carries its own
 * offset keeps it, and Unix time needs no zone.
 */
export function parseFormattedDateTime(raw: string, format: string, zone: ZoneSpec): ParsedInstant {
  if (format === 'iso') return parseIsoDateTime(raw, zone);
  if (format === 'X' || format === 'x') return parseEpoch(raw, format);
  const { regex, tokens } = compileFormat(format);
  const match = regex.exec(raw.trim());
  if (match === null) return { ok: false, reason: `"${raw}" does not match the date format "${format}"` };
  const local: LocalDateTime = { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 };
  let hour12: number | undefined;
  let afternoon = false;
  for (let i = 0; i < tokens.length; i += 1) {
    const text = match[i + 1] ?? '';
    const token = tokens[i];
    if (token === 'MMMM') local.month = MONTH_NAMES.indexOf(text.toLowerCase()) + 1;
    else if (token === 'MMM') local.month = MONTH_ABBREVIATIONS.indexOf(text.toLowerCase()) + 1;
    else if (token === 'a') afternoon = text === 'p' || text === 'P';
    else {
      const n = Number(text);
      if (token === 'yyyy') local.year = n;
      else if (token === 'MM' || token === 'M') local.month = n;
      else if (token === 'dd' || token === 'd') local.day = n;
      else if (token === 'HH' || token === 'H') local.hour = n;
      else if (token === 'hh' || token === 'h') hour12 = n;
      else if (token === 'mm') local.minute = n;
      else if (token === 'ss') local.second = n;
      else local.millisecond = n;
    }
  }
  if (hour12 !== undefined) {
    if (hour12 < 1 || hour12 > 12) return { ok: false, reason: `"${raw}" has hour ${hour12}, which a 12-hour clock does not show` };
    // 12:05 AM is five past midnight and 12:05 PM five past noon.
    local.hour = (hour12 % 12) + (afternoon ? 12 : 0);
  }
  if (!isRealCalendarDate(local)) return { ok: false, reason: `"${raw}" is not a real calendar date-time` };
  return { ok: true, instant: localToUtc(local, zone) };
}
