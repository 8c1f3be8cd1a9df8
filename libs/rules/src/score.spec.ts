import { describe, expect, it } from 'vitest';
import { strengthOf } from './display.js';
import { displayScore, pValueScore } from './score.js';

describe('pValueScore', () => {
  it('turns a p-value into its number of zeros', () => {
    expect(pValueScore('p', { p: 1e-20 })).toBeCloseTo(20, 12);
    expect(pValueScore('p', { p: 1 })).toBe(0);
  });

  it('keeps an underflowed p-value finite and above every representable one', () => {
    const underflow = pValueScore('p', { p: 0 });
    expect(Number.isFinite(underflow)).toBe(true);
    expect(underflow).toBeGreaterThan(pValueScore('p', { p: 1e-300 }));
  });

  it('scores a missing or null fact 0', () => {
    expect(pValueScore('p', {})).toBe(0);
    expect(pValueScore('p', { p: null })).toBe(0);
  });
});

describe('strengthOf: how far a value is beyond its threshold', () => {
  it('is 0 on the quiet side, 1 at an inclusive threshold, and grows with the distance', () => {
    expect(strengthOf(0.04, 0.05, 'above', true, 'share')).toBe(0);
    expect(strengthOf(0.05, 0.05, 'above', false, 'share')).toBe(0);
    expect(strengthOf(0.05, 0.05, 'above', true, 'share')).toBe(1);
    expect(strengthOf(0.13, 0.05, 'above', true, 'share')).toBeCloseTo(2.6, 12);
    expect(strengthOf(0.2, 0.05, 'above', true, 'share')).toBeGreaterThan(strengthOf(0.13, 0.05, 'above', true, 'share'));
  });

  it('scales a threshold of 0 by the unit step, so one decision while absent already counts', () => {
    expect(strengthOf(1, 0, 'above', false, 'count')).toBe(2);
    expect(strengthOf(12, 0, 'above', false, 'count')).toBe(13);
    expect(strengthOf(0, 0, 'above', false, 'count')).toBe(0);
  });

  it('reads "below" the other way round, and a p-value in orders of magnitude', () => {
    expect(strengthOf(10, 48, 'below', true, 'hours')).toBeCloseTo(1 + 38 / 48, 12);
    expect(strengthOf(0, 48, 'below', true, 'hours')).toBe(2);
    expect(strengthOf(1e-5, 0.01, 'below', true, 'pValue')).toBeCloseTo(4, 12);
  });

  it('is 1 for a yes/no fact with the flagged value, else 0; null or missing values are never beyond', () => {
    expect(strengthOf(false, false, 'equal', true, 'flag')).toBe(1);
    expect(strengthOf(true, false, 'equal', true, 'flag')).toBe(0);
    expect(strengthOf(null, false, 'equal', true, 'flag')).toBe(0);
    expect(strengthOf(null, 3.5, 'above', false, 'zScore')).toBe(0);
    expect(strengthOf(undefined, 3.5, 'above', false, 'zScore')).toBe(0);
  });

  it('keeps an infinite robust z finite and above every finite one', () => {
    const infinite = strengthOf(Number.POSITIVE_INFINITY, 3.5, 'above', false, 'zScore');
    expect(Number.isFinite(infinite)).toBe(true);
    expect(infinite).toBeGreaterThan(strengthOf(1e300, 3.5, 'above', false, 'zScore'));
  });
});

describe('displayScore', () => {
  it('adds the strengths of the entries that fired, so every way counts and several count together', () => {
    expect(displayScore([])).toBe(0);
    expect(displayScore([{ strength: 13 }])).toBe(13);
    expect(displayScore([{ strength: 13 }, { strength: 2 }])).toBe(15);
    expect(displayScore([{ strength: Number.MAX_VALUE }, { strength: Number.MAX_VALUE }])).toBe(Number.MAX_VALUE);
  });
});
