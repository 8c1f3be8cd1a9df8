import { describe, expect, it } from 'vitest';
import { dateFormatProblem, isValidZone, parseFormattedDateTime, parseIsoDateTime } from './date-time.js';

const iso = (result: ReturnType<typeof parseIsoDateTime>): string => (result.ok ? result.instant.toISOString() : `refused: ${result.reason}`);

describe('parseIsoDateTime', () => {
  it('keeps an offset written in the text, whatever zone is configured', () => {
    expect(iso(parseIsoDateTime('2006-07-24T00:00:00+02:00'))).toBe('2006-07-23T22:00:00.000Z');
    expect(iso(parseIsoDateTime('2006-07-24T00:00:00.25Z', 'Asia/Almaty'))).toBe('2006-07-24T00:00:00.250Z');
  });

  it('refuses a date-time without an offset unless a zone is configured', () => {
    expect(iso(parseIsoDateTime('2026-03-14T08:15:02'))).toMatch(/no UTC offset and no time zone/u);
    expect(iso(parseIsoDateTime('2026-03-14T08:15:02', 'Asia/Almaty'))).toBe('2026-03-14T03:15:02.000Z');
  });

  it('refuses text that is not a real date', () => {
    expect(iso(parseIsoDateTime('2026-02-30T00:00:00Z'))).toMatch(/not a real calendar/u);
    expect(iso(parseIsoDateTime('yesterday'))).toMatch(/not an ISO-8601/u);
  });
});

describe('parseFormattedDateTime', () => {
  it('reads wall-clock time in a zone with daylight saving on both sides of the change', () => {
    const rome = (text: string): string => iso(parseFormattedDateTime(text, 'dd/MM/yyyy HH:mm', 'Europe/Rome'));
    expect(rome('15/01/2006 12:00')).toBe('2006-01-15T11:00:00.000Z');
    expect(rome('15/07/2006 12:00')).toBe('2006-07-15T10:00:00.000Z');
  });

  it('follows a zone whose offset changed: Almaty moved from UTC+6 to UTC+5 on 1 March 2024', () => {
    expect(iso(parseFormattedDateTime('01.02.2024 12:00', 'dd.MM.yyyy HH:mm', 'Asia/Almaty'))).toBe('2024-02-01T06:00:00.000Z');
    expect(iso(parseFormattedDateTime('01.04.2024 12:00', 'dd.MM.yyyy HH:mm', 'Asia/Almaty'))).toBe('2024-04-01T07:00:00.000Z');
  });

  it('reads fixed offsets and milliseconds', () => {
    expect(iso(parseFormattedDateTime('2026-03-18 12:30:00.125', 'yyyy-MM-dd HH:mm:ss.SSS', '-03:30'))).toBe('2026-03-18T16:00:00.125Z');
  });

  it('says which format a value does not match', () => {
    expect(iso(parseFormattedDateTime('2026-03-18', 'dd.MM.yyyy', 'Z'))).toBe('refused: "2026-03-18" does not match the date format "dd.MM.yyyy"');
  });
});

describe('parseFormattedDateTime: the forms public ticket exports use', () => {
  const read = (text: string, format: string, zone = 'America/New_York'): string => iso(parseFormattedDateTime(text, format, zone));

  it('reads a 12-hour clock with AM/PM written out, abbreviated to one letter, or in lower case', () => {
    // New York in March 2026 is on daylight time (UTC-4) from the 8th.
    expect(read('03/14/2026 06:41P', 'MM/dd/yyyy hh:mma')).toBe('2026-03-14T22:41:00.000Z');
    expect(read('03/14/2026 06:41 PM', 'MM/dd/yyyy hh:mm a')).toBe('2026-03-14T22:41:00.000Z');
    expect(read('3/14/2026 6:41pm', 'M/d/yyyy h:mma')).toBe('2026-03-14T22:41:00.000Z');
    expect(read('3/14/2026 6:41am', 'M/d/yyyy h:mma')).toBe('2026-03-14T10:41:00.000Z');
  });

  it('reads 12 AM as midnight and 12 PM as noon', () => {
    expect(read('03/14/2026 12:05A', 'MM/dd/yyyy hh:mma')).toBe('2026-03-14T04:05:00.000Z');
    expect(read('03/14/2026 12:05P', 'MM/dd/yyyy hh:mma')).toBe('2026-03-14T16:05:00.000Z');
  });

  it('refuses an hour a 12-hour clock does not show', () => {
    expect(read('03/14/2026 13:05P', 'MM/dd/yyyy hh:mma')).toBe('refused: "03/14/2026 13:05P" has hour 13, which a 12-hour clock does not show');
    expect(read('03/14/2026 00:05A', 'MM/dd/yyyy hh:mma')).toMatch(/has hour 0/u);
  });

  it('reads numeric dates with one or two digits, slashes and no separators at all', () => {
    expect(read('3/4/2026', 'M/d/yyyy', 'Asia/Almaty')).toBe('2026-03-03T19:00:00.000Z');
    expect(read('12/25/2025', 'M/d/yyyy', 'Asia/Almaty')).toBe('2025-12-24T19:00:00.000Z');
    expect(read('2026/03/04', 'yyyy/MM/dd', 'Asia/Almaty')).toBe('2026-03-03T19:00:00.000Z');
    expect(read('20260304', 'yyyyMMdd', 'Asia/Almaty')).toBe('2026-03-03T19:00:00.000Z');
    expect(read('20260304 0641', 'yyyyMMdd HHmm', 'Z')).toBe('2026-03-04T06:41:00.000Z');
  });

  it('reads English month names and abbreviations in any case', () => {
    expect(read('04-Mar-2026', 'dd-MMM-yyyy', 'Z')).toBe('2026-03-04T00:00:00.000Z');
    expect(read('04-MAR-2026', 'dd-MMM-yyyy', 'Z')).toBe('2026-03-04T00:00:00.000Z');
    expect(read('4 september 2026', 'd MMMM yyyy', 'Z')).toBe('2026-09-04T00:00:00.000Z');
    expect(read('04-Mrz-2026', 'dd-MMM-yyyy', 'Z')).toBe('refused: "04-Mrz-2026" does not match the date format "dd-MMM-yyyy"');
  });

  it('reads a date without a time as midnight in the zone, across a change of offset', () => {
    expect(read('01.02.2024', 'dd.MM.yyyy', 'Asia/Almaty')).toBe('2024-01-31T18:00:00.000Z');
    expect(read('01.04.2024', 'dd.MM.yyyy', 'Asia/Almaty')).toBe('2024-03-31T19:00:00.000Z');
  });

  it('finds the offset of every day around a daylight-saving change, not just the first one asked', () => {
    // Rome moved to summer time at 01:00 UTC on 29 March 2026: the hours on both sides of it, asked in either order.
    expect(read('2026-03-29 03:30', 'yyyy-MM-dd HH:mm', 'Europe/Rome')).toBe('2026-03-29T01:30:00.000Z');
    expect(read('2026-03-29 01:30', 'yyyy-MM-dd HH:mm', 'Europe/Rome')).toBe('2026-03-29T00:30:00.000Z');
    expect(read('2026-03-28 23:30', 'yyyy-MM-dd HH:mm', 'Europe/Rome')).toBe('2026-03-28T22:30:00.000Z');
    expect(read('2026-03-30 00:30', 'yyyy-MM-dd HH:mm', 'Europe/Rome')).toBe('2026-03-29T22:30:00.000Z');
  });

  it('takes the earlier reading of a wall time that a daylight-saving change makes ambiguous or skips', () => {
    // 25 October 2026: Rome's clocks go from 03:00 back to 02:00, so 02:30 happens twice (00:30Z and 01:30Z).
    expect(read('2026-10-25 02:30', 'yyyy-MM-dd HH:mm', 'Europe/Rome')).toBe('2026-10-25T00:30:00.000Z');
    expect(read('2026-10-25 03:30', 'yyyy-MM-dd HH:mm', 'Europe/Rome')).toBe('2026-10-25T02:30:00.000Z');
    // 29 March 2026: 02:30 never happens in Rome.
    expect(read('2026-03-29 02:30', 'yyyy-MM-dd HH:mm', 'Europe/Rome')).toBe('2026-03-29T00:30:00.000Z');
  });

  it('reads quoted literal text', () => {
    expect(read('2026-03-04 at 06:41', "yyyy-MM-dd 'at' HH:mm", 'Z')).toBe('2026-03-04T06:41:00.000Z');
    expect(read('2026-03-04T06:41', "yyyy-MM-dd'T'HH:mm", 'Z')).toBe('2026-03-04T06:41:00.000Z');
  });

  it('reads Unix time in seconds and milliseconds, whatever the zone', () => {
    expect(read('1773468000', 'X')).toBe('2026-03-14T06:00:00.000Z');
    expect(read('1773468000123', 'x', 'Asia/Almaty')).toBe('2026-03-14T06:00:00.123Z');
    expect(read('17734680.5', 'X')).toBe('refused: "17734680.5" is not Unix time in seconds');
  });
});

describe('dateFormatProblem', () => {
  it('accepts complete formats and says what an incomplete or contradictory one lacks', () => {
    expect(['iso', 'X', 'x', 'M/d/yyyy', 'dd-MMM-yyyy h:mm a', 'yyyyMMdd'].map(dateFormatProblem)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
    expect(dateFormatProblem('MM/yyyy')).toBe('needs at least yyyy, MM and dd (a month may also be M, MMM or MMMM, a day d), or is "iso", "X" or "x"');
    expect(dateFormatProblem('MM/dd/yyyy hh:mm')).toBe('a 12-hour clock (hh or h) needs the AM/PM marker "a"');
    expect(dateFormatProblem('MM/dd/yyyy HH:mm a')).toBe('the AM/PM marker "a" goes with a 12-hour clock (hh or h), not HH');
    expect(dateFormatProblem('X MM/dd/yyyy')).toMatch(/stand alone/u);
  });
});

describe('isValidZone', () => {
  it('knows offsets and IANA names, and nothing else', () => {
    expect(['Z', '+05:00', '-0330', 'Asia/Almaty', 'Asia/Qostanay'].map(isValidZone)).toEqual([true, true, true, true, true]);
    expect(['Mars/Olympus', '+5', 'local'].map(isValidZone)).toEqual([false, false, false]);
  });
});
