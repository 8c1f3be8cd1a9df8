import { describe, expect, it } from 'vitest';
import { isValidZone, parseFormattedDateTime, parseIsoDateTime } from './date-time.js';

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

describe('isValidZone', () => {
  it('knows offsets and IANA names, and nothing else', () => {
    expect(['Z', '+05:00', '-0330', 'Asia/Almaty', 'Asia/Qostanay'].map(isValidZone)).toEqual([true, true, true, true, true]);
    expect(['Mars/Olympus', '+5', 'local'].map(isValidZone)).toEqual([false, false, false]);
  });
});
