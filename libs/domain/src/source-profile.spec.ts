import { describe, expect, it } from 'vitest';
import { classifyTimePrecision, MIN_EVENTS_TO_CLASSIFY, profileSupports, type SourceProfile } from './source-profile.js';

const profile = (over: Partial<SourceProfile>): SourceProfile => ({
  source: 'reg',
  eventTypes: {},
  events: 1000,
  time: { events: 1000, wholeMinutes: 0, atCommonTimeOfDay: 0 },
  precision: 'instant',
  firstAt: '2026-01-01T00:00:00.000Z',
  lastAt: '2026-06-30T00:00:00.000Z',
  ...over,
});

describe('classifyTimePrecision', () => {
  it('calls a source whose times all share one time of day date-only, whatever that time is in UTC', () => {
    expect(classifyTimePrecision({ events: 716, wholeMinutes: 716, atCommonTimeOfDay: 716 })).toBe('day');
  });

  it('tolerates one hand-corrected time in a hundred, but not more', () => {
    expect(classifyTimePrecision({ events: 1000, wholeMinutes: 1000, atCommonTimeOfDay: 990 })).toBe('day');
    expect(classifyTimePrecision({ events: 1000, wholeMinutes: 1000, atCommonTimeOfDay: 989 })).toBe('minute');
  });

  it('calls whole minutes at many times of day minute precision, and anything finer an instant', () => {
    expect(classifyTimePrecision({ events: 500, wholeMinutes: 500, atCommonTimeOfDay: 3 })).toBe('minute');
    // An instant source lands on a whole minute one time in sixty.
    expect(classifyTimePrecision({ events: 6000, wholeMinutes: 100, atCommonTimeOfDay: 2 })).toBe('instant');
  });

  it('does not classify a source from too few events', () => {
    expect(classifyTimePrecision({ events: MIN_EVENTS_TO_CLASSIFY - 1, wholeMinutes: MIN_EVENTS_TO_CLASSIFY - 1, atCommonTimeOfDay: MIN_EVENTS_TO_CLASSIFY - 1 })).toBe('unknown');
  });
});

describe('profileSupports', () => {
  it('judges a missing step only for a source that reports the step at all', () => {
    expect(profileSupports(profile({ eventTypes: { notice_issued: 10 } }), { reports: ['notice_delivered'] })).toBe(false);
    expect(profileSupports(profile({ eventTypes: { notice_issued: 10, notice_delivered: 1 } }), { reports: ['notice_delivered'] })).toBe(true);
  });

  it('judges speed on instants alone and time of day on minutes or finer, giving an unknown precision the benefit of the doubt', () => {
    expect(profileSupports(profile({ precision: 'day' }), { precision: 'minute' })).toBe(false);
    expect(profileSupports(profile({ precision: 'minute' }), { precision: 'instant' })).toBe(false);
    expect(profileSupports(profile({ precision: 'minute' }), { precision: 'minute' })).toBe(true);
    expect(profileSupports(profile({ precision: 'unknown' }), { precision: 'instant' })).toBe(true);
  });
});
