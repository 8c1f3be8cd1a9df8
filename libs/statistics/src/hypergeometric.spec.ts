import { describe, expect, it } from 'vitest';
import { binomialUpperTail } from './binomial.js';
import { hypergeometricUpperTail, logHypergeometricUpperTail } from './hypergeometric.js';
import { exactHypergeometricUpperTail, logOfRatio, ratioToNumber } from './testing/exact-tails.js';

describe('hypergeometricUpperTail against exact rational sums', () => {
  const cases: [k: number, population: number, successes: number, draws: number][] = [
    [4, 8, 4, 4], // Fisher's lady tasting tea: 1/70
    [2, 50, 5, 10],
    [1, 50, 5, 10], // below the mean
    [30, 1000, 40, 100], // far tail
    [3, 400, 3, 60], // an officer cancels all 3 of a plate's detections among 60 cancellations
    [12, 60, 20, 30],
    [40, 3000, 40, 1500],
    [5, 20, 15, 10], // lowest possible value is 5: the tail is 1
  ];

  it.each(cases)('P(X >= %i | N=%i, K=%i, n=%i) matches to 1e-12 relative', (k, population, successes, draws) => {
    const exact = exactHypergeometricUpperTail(k, population, successes, draws);
    const expected = ratioToNumber(exact.numerator, exact.denominator);
    const actual = hypergeometricUpperTail(k, population, successes, draws);
    expect(Math.abs(actual - expected) / expected).toBeLessThan(1e-12);
    expect(logHypergeometricUpperTail(k, population, successes, draws)).toBeCloseTo(
      logOfRatio(exact.numerator, exact.denominator),
      9,
    );
  });

  it('matches the published value of the tea-tasting test', () => {
    expect(hypergeometricUpperTail(4, 8, 4, 4)).toBeCloseTo(1 / 70, 15);
  });
});

describe('hypergeometricUpperTail edge cases', () => {
  it('is 1 at or below the lowest possible count and 0 above the highest', () => {
    expect(hypergeometricUpperTail(0, 10, 3, 4)).toBe(1);
    expect(hypergeometricUpperTail(4, 10, 3, 4)).toBe(0);
    expect(hypergeometricUpperTail(5, 10, 8, 4)).toBe(0);
  });

  it('is a point mass when nothing or everything is drawn', () => {
    expect(hypergeometricUpperTail(1, 10, 3, 0)).toBe(0);
    expect(hypergeometricUpperTail(3, 10, 3, 10)).toBe(1);
    expect(hypergeometricUpperTail(1, 0, 0, 0)).toBe(0);
  });

  it('refuses impossible urns', () => {
    expect(() => hypergeometricUpperTail(1, 10, 11, 2)).toThrow(RangeError);
    expect(() => hypergeometricUpperTail(1, 10, 2, 11)).toThrow(RangeError);
    expect(() => hypergeometricUpperTail(1, 10.5, 2, 3)).toThrow(RangeError);
  });
});

describe('hypergeometricUpperTail for large urns', () => {
  it('is symmetric in successes and draws', () => {
    const population = 5_000_000;
    for (const [k, successes, draws] of [
      [30, 4000, 20_000],
      [5, 4000, 20_000],
      [200, 120_000, 3000],
    ] as const) {
      const one = logHypergeometricUpperTail(k, population, successes, draws);
      const other = logHypergeometricUpperTail(k, population, draws, successes);
      expect(one).toBeCloseTo(other, 9);
    }
  });

  it('approaches the binomial when the population dwarfs the draws', () => {
    const tail = hypergeometricUpperTail(6, 1_000_000_000, 10_000_000, 100);
    const binomial = binomialUpperTail(6, 100, 0.01);
    expect(Math.abs(tail - binomial) / binomial).toBeLessThan(1e-3);
  });
});
