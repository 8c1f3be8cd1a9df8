import { describe, expect, it } from 'vitest';
import { mad, median, robustZ } from './robust.js';

describe('median and mad', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('does not reorder the caller\u2019s array', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it('gives the raw median absolute deviation, unmoved by one extreme value', () => {
    // deviations from the median 0.04: 0.02, 0.01, 0, 0.01, 0.02, 0.86 -> median 0.015
    const shares = [0.02, 0.03, 0.04, 0.05, 0.06, 0.9];
    expect(median(shares)).toBeCloseTo(0.045, 15);
    expect(mad(shares)).toBeCloseTo(0.015, 15);
  });

  it('refuses empty input and non-finite values', () => {
    expect(() => median([])).toThrow(RangeError);
    expect(() => mad([1, Number.NaN])).toThrow(RangeError);
  });
});

describe('robustZ', () => {
  it('is 0.6745 * (x - median) / MAD', () => {
    expect(robustZ(0.9, 0.045, 0.015)).toBeCloseTo((0.6745 * 0.855) / 0.015, 10);
    expect(robustZ(0.03, 0.045, 0.015)).toBeCloseTo(-0.6745, 10);
  });

  it('reads like an ordinary z for normal data: MAD of N(0,1) is 0.6745, so x = 2 gives about 2', () => {
    expect(robustZ(2, 0, 0.6745)).toBeCloseTo(2, 10);
  });

  it('with MAD 0 scores 0 at the median and an infinite z elsewhere', () => {
    expect(robustZ(0, 0, 0)).toBe(0);
    expect(robustZ(0.1, 0, 0)).toBe(Number.POSITIVE_INFINITY);
    expect(robustZ(-0.1, 0, 0)).toBe(Number.NEGATIVE_INFINITY);
  });

  it('uses madFloor when the MAD is smaller', () => {
    expect(robustZ(0.1, 0, 0, { madFloor: 0.02 })).toBeCloseTo((0.6745 * 0.1) / 0.02, 10);
    expect(robustZ(0.1, 0, 0.05, { madFloor: 0.02 })).toBeCloseTo((0.6745 * 0.1) / 0.05, 10);
  });

  it('refuses a negative MAD', () => {
    expect(() => robustZ(1, 0, -1)).toThrow(RangeError);
  });
});
