import { describe, expect, it } from 'vitest';
import { scoreOf } from './score.js';

describe('scoreOf', () => {
  it('turns a p-value into its number of zeros with neglog10', () => {
    expect(scoreOf({ fact: 'p', transform: 'neglog10' }, { p: 1e-20 })).toBeCloseTo(20, 12);
    expect(scoreOf({ fact: 'p', transform: 'neglog10' }, { p: 1 })).toBe(0);
  });

  it('keeps an underflowed p-value finite and above every representable one', () => {
    const underflow = scoreOf({ fact: 'p', transform: 'neglog10' }, { p: 0 });
    expect(Number.isFinite(underflow)).toBe(true);
    expect(underflow).toBeGreaterThan(scoreOf({ fact: 'p', transform: 'neglog10' }, { p: 1e-300 }));
  });

  it('reads identity numbers as they are, booleans as 1/0, and infinities as the largest doubles', () => {
    expect(scoreOf({ fact: 'z' }, { z: 4.2 })).toBe(4.2);
    expect(scoreOf({ fact: 'flag', transform: 'identity' }, { flag: true })).toBe(1);
    expect(scoreOf({ fact: 'z' }, { z: Number.POSITIVE_INFINITY })).toBe(Number.MAX_VALUE);
    expect(scoreOf({ fact: 'z' }, { z: Number.NEGATIVE_INFINITY })).toBe(-Number.MAX_VALUE);
  });

  it('scores a missing or null fact 0', () => {
    expect(scoreOf({ fact: 'z' }, {})).toBe(0);
    expect(scoreOf({ fact: 'z', transform: 'neglog10' }, { z: null })).toBe(0);
  });
});
