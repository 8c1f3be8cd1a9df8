import { describe, expect, it } from 'vitest';
import { resolveParameters } from './parameters.js';
import { sampleRule } from './testing/sample-rule.js';

describe('resolveParameters', () => {
  it('starts from the defaults and applies overrides', () => {
    expect(resolveParameters(sampleRule(), { minRobustZ: 5 })).toEqual({ minDecisions: 30, minRobustZ: 5, alpha: 0.01 });
  });

  it('refuses an override outside the declared bounds, an undeclared name and a non-finite value', () => {
    expect(() => resolveParameters(sampleRule(), { minRobustZ: 25 })).toThrow(/above its maximum 20/);
    expect(() => resolveParameters(sampleRule(), { alpha: 0 })).toThrow(/below its minimum/);
    expect(() => resolveParameters(sampleRule(), { minShare: 0.5 })).toThrow(/has no parameter "minShare"/);
    expect(() => resolveParameters(sampleRule(), { minDecisions: Number.NaN })).toThrow(/finite/);
  });
});
