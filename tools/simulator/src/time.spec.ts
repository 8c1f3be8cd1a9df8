import { describe, expect, it } from 'vitest';
import { Rng } from './random.js';
import { addMonths, iso, localHour, localWeekday } from './time.js';

describe('time in the simulated city', () => {
  it('formats instants exactly as Date#toISOString does', () => {
    const rng = new Rng(1);
    for (let k = 0; k < 10_000; k += 1) {
      const t = Math.floor(rng.between(Date.UTC(1990, 0, 1), Date.UTC(2030, 0, 1)));
      expect(iso(t)).toBe(new Date(t).toISOString());
    }
  });

  it('judges hour and weekday in Almaty time (UTC+5)', () => {
    // Monday 2026-03-02 03:30 UTC is 08:30 local, still Monday.
    expect(localHour(Date.parse('2026-03-02T03:30:00Z'))).toBe(8);
    expect(localWeekday(Date.parse('2026-03-02T03:30:00Z'))).toBe(1);
    // Sunday 20:00 UTC is already Monday 01:00 local.
    expect(localWeekday(Date.parse('2026-03-01T20:00:00Z'))).toBe(1);
    expect(localHour(Date.parse('2026-03-01T20:00:00Z'))).toBe(1);
  });

  it('adds calendar months in local time, clamping to the month\'s last day', () => {
    expect(iso(addMonths(Date.parse('2026-03-31T10:00:00+05:00'), 2))).toBe('2026-05-31T05:00:00.000Z');
    expect(iso(addMonths(Date.parse('2025-12-31T10:00:00+05:00'), 2))).toBe('2026-02-28T05:00:00.000Z');
    expect(iso(addMonths(Date.parse('2026-10-31T19:00:00Z'), -12))).toBe('2025-10-31T19:00:00.000Z');
  });
});
