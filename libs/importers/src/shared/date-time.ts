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

/** Offset of an IANA zone from UTC, in minutes, at the given instant. */
function ianaOffsetMinutes(zone: string, utcMillis: number): number {
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

/**
 * The UTC instant of a wall-clock time in a zone. For an IANA zone the offset is
 * looked up at the guessed instant and once more at the corrected one, which settles
 * every case except a wall time inside a DST gap or overlap, where the earlier
 * reading wins (documented in docs/import-mapping.md).
 */
export function localToUtc(local: LocalDateTime, zone: ZoneSpec): Date {
  const asIfUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second, local.millisecond);
  const fixed = fixedOffsetMinutes(zone);
  if (fixed !== undefined) return new Date(asIfUtc - fixed * 60_000);
  const firstGuess = asIfUtc - ianaOffsetMinutes(zone, asIfUtc) * 60_000;
  const corrected = asIfUtc - ianaOffsetMinutes(zone, firstGuess) * 60_000;
  return new Date(Math.min(firstGuess, corrected));
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

/** The tokens a CSV mapping may use in a date format; anything else is a literal. */
const FORMAT_TOKENS = ['yyyy', 'MM', 'dd', 'HH', 'mm', 'ss', 'SSS'] as const;
type FormatToken = (typeof FORMAT_TOKENS)[number];

interface CompiledFormat {
  regex: RegExp;
  tokens: FormatToken[];
}

const compiledFormats = new Map<string, CompiledFormat>();

function compileFormat(format: string): CompiledFormat {
  const cached = compiledFormats.get(format);
  if (cached !== undefined) return cached;
  const tokens: FormatToken[] = [];
  let pattern = '';
  let rest = format;
  while (rest.length > 0) {
    const token = FORMAT_TOKENS.find((t) => rest.startsWith(t));
    if (token !== undefined) {
      tokens.push(token);
      pattern += token === 'yyyy' ? '(\\d{4})' : token === 'SSS' ? '(\\d{3})' : '(\\d{2})';
      rest = rest.slice(token.length);
    } else {
      pattern += rest.charAt(0).replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
      rest = rest.slice(1);
    }
  }
  const compiled = { regex: new RegExp(`^${pattern}$`, 'u'), tokens };
  compiledFormats.set(format, compiled);
  return compiled;
}

/** True when the format names at least a year, a month and a day. */
export function isUsableDateFormat(format: string): boolean {
  if (format === 'iso') return true;
  const { tokens } = compileFormat(format);
  return tokens.includes('yyyy') && tokens.includes('MM') && tokens.includes('dd');
}

/**
 * Parses a date-time written in `format` ("iso", or tokens such as "dd.MM.yyyy HH:mm")
 * as wall-clock time in `zone`. An "iso" value that carries its own offset keeps it.
 */
export function parseFormattedDateTime(raw: string, format: string, zone: ZoneSpec): ParsedInstant {
  if (format === 'iso') return parseIsoDateTime(raw, zone);
  const { regex, tokens } = compileFormat(format);
  const match = regex.exec(raw.trim());
  if (match === null) return { ok: false, reason: `"${raw}" does not match the date format "${format}"` };
  const local: LocalDateTime = { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 };
  tokens.forEach((token, i) => {
    const n = Number(match[i + 1]);
    if (token === 'yyyy') local.year = n;
    else if (token === 'MM') local.month = n;
    else if (token === 'dd') local.day = n;
    else if (token === 'HH') local.hour = n;
    else if (token === 'mm') local.minute = n;
    else if (token === 'ss') local.second = n;
    else local.millisecond = n;
  });
  if (!isRealCalendarDate(local)) return { ok: false, reason: `"${raw}" is not a real calendar date-time` };
  return { ok: true, instant: localToUtc(local, zone) };
}
