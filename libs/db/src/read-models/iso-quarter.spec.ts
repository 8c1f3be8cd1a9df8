import { describe, expect, it } from 'vitest';
import { isoWeekOf, localDay, quarterOfDay, quarterWeeks, quartersBetween } from './iso-quarter.js';

describe('quarters of ISO weeks', () => {
  it('split a week-year into 13, 13, 13 and the rest, each week in one quarter only', () => {
    expect(quarterWeeks('2026-Q1')).toEqual({ weeks: expect.arrayContaining(['2025-12-29', '2026-03-23']), end: '2026-03-30' });
    expect(quarterWeeks('2026-Q1').weeks).toHaveLength(13);
    expect(quarterWeeks('2026-Q2').weeks[0]).toBe('2026-03-30');
    // 2026 has 53 ISO weeks (it starts on a Thursday): its fourth quarter has 14.
    expect(quarterWeeks('2026-Q4').weeks).toHaveLength(14);
    expect(quarterWeeks('2026-Q4').end).toBe('2027-01-04');
    expect(quarterWeeks('2027-Q4').weeks).toHaveLength(13);
  });

  it('place a day by its ISO week, across the turn of the year', () => {
    expect(isoWeekOf('2027-01-01')).toEqual({ year: 2026, week: 53 });
    expect(quarterOfDay('2027-01-01')).toBe('2026-Q4');
    expect(quarterOfDay('2026-03-29')).toBe('2026-Q1');
    expect(quarterOfDay('2026-03-30')).toBe('2026-Q2');
    expect(quartersBetween('2025-11-01', '2026-04-02')).toEqual(['2026-Q2', '2026-Q1', '2025-Q4']);
    // Midnight in Almaty is still the evening before in UTC.
    expect(localDay(new Date('2026-03-29T19:30:00Z'), 'Asia/Almaty')).toBe('2026-03-30');
  });
});
