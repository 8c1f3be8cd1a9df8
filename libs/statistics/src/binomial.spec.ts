import { describe, expect, it } from 'vitest';
import { binomialUpperTail, logBinomialUpperTail } from './binomial.js';
import { exactBinomialUpperTail, logOfRatio, ratioToNumber } from './testing/exact-tails.js';

function expectRelativelyClose(actual: number, expected: number, tolerance: number): void {
  expect(expected).toBeGreaterThan(0);
  expect(Math.abs(actual - expected) / expected).toBeLessThan(tolerance);
}

describe('binomialUpperTail against exact rational sums', () => {
  // p is given as a fraction a/b so the reference is exact; the double a/b differs from
  // it by at most half an ulp, which moves the tail by far less than the tolerance.
  const cases: [k: number, n: number, a: number, b: number][] = [
    [38, 40, 1, 25], // the brief's example: 38 of 40 voided against a 4% rate
    [5, 10, 1, 10],
    [15, 1000, 1, 100], // just above the mean
    [10, 1000, 1, 100], // at the mean
    [3, 1000, 1, 100], // below the mean: the complement branch
    [200, 2000, 1, 25], // about 1e-64
    [1999, 2000, 1, 2], // about 1e-597: beyond doubles, checked in logs below
    [501, 1000, 1, 2],
    [7, 7, 3, 4],
    [1, 7, 3, 4],
  ];

  it.each(cases)('P(X >= %i | n=%i, p=%i/%i) matches to 1e-12 relative', (k, n, a, b) => {
    const exact = exactBinomialUpperTail(k, n, a, b);
    expect(logBinomialUpperTail(k, n, a / b)).toBeCloseTo(logOfRatio(exact.numerator, exact.denominator), 9);
    const expected = ratioToNumber(exact.numerator, exact.denominator);
    if (expected > 1e-300) expectRelativelyClose(binomialUpperTail(k, n, a / b), expected, 1e-12);
  });

  it('keeps a tail of the order of 1e-50 to full precision', () => {
    const exact = exactBinomialUpperTail(38, 40, 1, 25);
    const expected = ratioToNumber(exact.numerator, exact.denominator);
    expect(expected).toBeLessThan(1e-20);
    expectRelativelyClose(binomialUpperTail(38, 40, 0.04), expected, 1e-13);
  });
});

describe('binomialUpperTail edge cases', () => {
  it('is 1 for k <= 0, whatever p', () => {
    expect(binomialUpperTail(0, 10, 0.3)).toBe(1);
    expect(binomialUpperTail(-4, 10, 0)).toBe(1);
    expect(binomialUpperTail(0, 0, 0.5)).toBe(1);
  });

  it('is 0 for k > n', () => {
    expect(binomialUpperTail(11, 10, 0.99)).toBe(0);
    expect(logBinomialUpperTail(11, 10, 1)).toBe(Number.NEGATIVE_INFINITY);
  });

  it('handles p = 0 and p = 1 as point masses', () => {
    expect(binomialUpperTail(1, 10, 0)).toBe(0);
    expect(binomialUpperTail(10, 10, 1)).toBe(1);
    expect(binomialUpperTail(3, 10, 1)).toBe(1);
  });

  it('refuses fractional counts and probabilities outside [0, 1]', () => {
    expect(() => binomialUpperTail(1.5, 10, 0.1)).toThrow(RangeError);
    expect(() => binomialUpperTail(1, -1, 0.1)).toThrow(RangeError);
    expect(() => binomialUpperTail(1, 10, 1.1)).toThrow(RangeError);
    expect(() => binomialUpperTail(1, 10, Number.NaN)).toThrow(RangeError);
  });

  it('is non-increasing in k', () => {
    let previous = 1;
    for (let k = 0; k <= 60; k++) {
      const tail = binomialUpperTail(k, 60, 0.2);
      expect(tail).toBeLessThanOrEqual(previous);
      previous = tail;
    }
  });
});

describe('binomialUpperTail for huge n', () => {
  const n = 1_000_000_000;

  it('gives P(X >= n/2) = 1/2 + P(X = n/2)/2 for a fair coin, with P(X = n/2) ~ sqrt(2 / (pi n))', () => {
    const pointMass = Math.sqrt(2 / (Math.PI * n)) * (1 - 1 / (4 * n));
    expectRelativelyClose(binomialUpperTail(n / 2, n, 0.5) - 0.5, pointMass / 2, 1e-6);
  });

  it('is symmetric for a fair coin: P(X >= k) + P(X >= n - k + 1) = 1, one branch each', () => {
    for (const offset of [1, 1000, 30_000, 80_000]) {
      const k = n / 2 + offset;
      expect(binomialUpperTail(k, n, 0.5) + binomialUpperTail(n - k + 1, n, 0.5)).toBeCloseTo(1, 12);
    }
  });

  it('gives a finite log tail where the probability underflows', () => {
    const logTail = logBinomialUpperTail(500_000, 1_000_000, 0.01);
    expect(binomialUpperTail(500_000, 1_000_000, 0.01)).toBe(0);
    // Bounds from an independent log-pmf: sum of ln((n - i) / (i + 1)) for the coefficient.
    const n1 = 1_000_000;
    const k = 500_000;
    let logCoefficient = 0;
    for (let i = 0; i < k; i++) logCoefficient += Math.log((n1 - i) / (i + 1));
    const logPointMass = logCoefficient + k * Math.log(0.01) + (n1 - k) * Math.log(0.99);
    const firstRatio = ((n1 - k) / (k + 1)) * (0.01 / 0.99);
    expect(logTail).toBeGreaterThanOrEqual(logPointMass - 1e-6 * Math.abs(logPointMass));
    expect(logTail).toBeLessThanOrEqual(logPointMass - Math.log(1 - firstRatio) + 1e-6 * Math.abs(logPointMass));
  });
});
