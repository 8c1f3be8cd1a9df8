import { describe, expect, it } from 'vitest';
import { seededRandom } from './testing/seeded-random.js';
import { benjaminiHochberg } from './benjamini-hochberg.js';

/** The textbook step-up procedure: reject the k smallest, k the largest with p(k) <= k alpha / m. */
function stepUpRejections(pValues: readonly number[], alpha: number): boolean[] {
  const m = pValues.length;
  const sorted = [...pValues].sort((a, b) => a - b);
  let cutoff = -1;
  sorted.forEach((p, index) => {
    if (p <= ((index + 1) * alpha) / m) cutoff = p;
  });
  return pValues.map((p) => cutoff >= 0 && p <= cutoff);
}

describe('benjaminiHochberg', () => {
  it('computes q-values by hand for four p-values, in input order', () => {
    // sorted 0.005, 0.01, 0.03, 0.04 -> 0.02, 0.02, 0.04, 0.04
    const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.005]);
    expect(q[0]).toBeCloseTo(0.02, 15);
    expect(q[1]).toBeCloseTo(0.04, 15);
    expect(q[2]).toBeCloseTo(0.04, 15);
    expect(q[3]).toBeCloseTo(0.02, 15);
  });

  it('flags exactly what the step-up procedure rejects, at several alphas', () => {
    const random = seededRandom(7);
    for (let trial = 0; trial < 200; trial++) {
      const m = 1 + Math.floor(random.next() * 40);
      const pValues = Array.from({ length: m }, () => (random.next() < 0.3 ? random.next() * 0.01 : random.next()));
      const q = benjaminiHochberg(pValues);
      for (const alpha of [0.01, 0.05, 0.2]) {
        expect(q.map((value) => value <= alpha)).toEqual(stepUpRejections(pValues, alpha));
      }
    }
  });

  it('is monotone in p, never below p, and never above 1', () => {
    const random = seededRandom(11);
    const pValues = Array.from({ length: 300 }, () => random.next() ** 3);
    const q = benjaminiHochberg(pValues);
    for (let i = 0; i < pValues.length; i++) {
      expect(q[i]).toBeGreaterThanOrEqual(pValues[i] as number);
      expect(q[i]).toBeLessThanOrEqual(1);
      for (let j = 0; j < pValues.length; j++) {
        if ((pValues[i] as number) < (pValues[j] as number)) expect(q[i]).toBeLessThanOrEqual(q[j] as number);
      }
    }
  });

  it('gives tied p-values the same q-value', () => {
    const q = benjaminiHochberg([0.02, 0.5, 0.02, 0.02]);
    expect(q[0]).toBe(q[2]);
    expect(q[0]).toBe(q[3]);
  });

  it('leaves a single test alone and accepts no tests', () => {
    expect(benjaminiHochberg([0.03])).toEqual([0.03]);
    expect(benjaminiHochberg([])).toEqual([]);
  });

  it('refuses values that are not probabilities', () => {
    expect(() => benjaminiHochberg([0.1, Number.NaN])).toThrow(RangeError);
    expect(() => benjaminiHochberg([1.2])).toThrow(RangeError);
  });
});
