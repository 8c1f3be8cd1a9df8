import { describe, expect, it } from 'vitest';
import { ewma, ewmaUpperControlLimit } from './ewma.js';

describe('ewma', () => {
  it('weights each new value by lambda', () => {
    // z1 = 0.2*10 + 0.8*5 = 6; z2 = 0.2*0 + 0.8*6 = 4.8
    const series = ewma([10, 0], 0.2, 5);
    expect(series[0]).toBeCloseTo(6, 12);
    expect(series[1]).toBeCloseTo(4.8, 12);
  });

  it('stays at a constant series and is the series itself when lambda = 1', () => {
    expect(ewma([3, 3, 3], 0.3)).toEqual([3, 3, 3]);
    expect(ewma([1, 9, 4], 1, 100)).toEqual([1, 9, 4]);
  });

  it('refuses lambda outside (0, 1]', () => {
    expect(() => ewma([1], 0)).toThrow(RangeError);
    expect(() => ewma([1], 1.5)).toThrow(RangeError);
  });
});

describe('ewmaUpperControlLimit', () => {
  it('is mean + L sigma lambda at the first step', () => {
    expect(ewmaUpperControlLimit({ mean: 10, sigma: 2, lambda: 0.2, width: 3, step: 1 })).toBeCloseTo(10 + 3 * 2 * 0.2, 12);
  });

  it('widens with the step towards the steady-state limit mean + L sigma sqrt(lambda / (2 - lambda))', () => {
    const steady = ewmaUpperControlLimit({ mean: 10, sigma: 2, lambda: 0.2, width: 3 });
    expect(steady).toBeCloseTo(10 + 6 * Math.sqrt(0.2 / 1.8), 12);
    let previous = 0;
    for (const step of [1, 2, 5, 20, 200]) {
      const limit = ewmaUpperControlLimit({ mean: 10, sigma: 2, lambda: 0.2, width: 3, step });
      expect(limit).toBeGreaterThan(previous);
      expect(limit).toBeLessThanOrEqual(steady + 1e-12);
      previous = limit;
    }
  });

  it('reduces to the Shewhart limit mean + L sigma when lambda = 1', () => {
    expect(ewmaUpperControlLimit({ mean: 4, sigma: 1.5, lambda: 1, width: 3 })).toBeCloseTo(8.5, 12);
  });
});
