import { describe, expect, it } from 'vitest';
import { evaluateConditionsDirect } from './direct-evaluator.js';
import type { TopLevelCondition } from './types.js';

const minShare = { fact: 'params', path: '$.minShare' };

describe('evaluateConditionsDirect', () => {
  it('compares a fact with a parameter read through params', () => {
    const conditions: TopLevelCondition = { all: [{ fact: 'adverseShare', operator: 'greaterThanInclusive', value: minShare }] };
    expect(evaluateConditionsDirect(conditions, { adverseShare: 0.6 }, { minShare: 0.5 })).toBe(true);
    expect(evaluateConditionsDirect(conditions, { adverseShare: 0.4 }, { minShare: 0.5 })).toBe(false);
  });

  it('compares two facts', () => {
    const conditions: TopLevelCondition = { all: [{ fact: 'expiredShare', operator: 'greaterThan', value: { fact: 'unitExpiredShare' } }] };
    expect(evaluateConditionsDirect(conditions, { expiredShare: 0.3, unitExpiredShare: 0.1 })).toBe(true);
    expect(evaluateConditionsDirect(conditions, { expiredShare: 0.3, unitExpiredShare: 0.5 })).toBe(false);
  });

  it('treats a missing or null fact as failing numeric comparisons, and as unequal to a value', () => {
    const below: TopLevelCondition = { all: [{ fact: 'hoursBeforeDeadline', operator: 'lessThan', value: 48 }] };
    expect(evaluateConditionsDirect(below, {})).toBe(false);
    expect(evaluateConditionsDirect(below, { hoursBeforeDeadline: null })).toBe(false);
    const differs: TopLevelCondition = { all: [{ fact: 'registerCancelled', operator: 'notEqual', value: { fact: 'reviewCancelled' } }] };
    expect(evaluateConditionsDirect(differs, { registerCancelled: true, reviewCancelled: null })).toBe(true);
    expect(evaluateConditionsDirect(differs, { registerCancelled: null, reviewCancelled: null })).toBe(false);
  });

  it('reads an undeclared parameter as undefined, so the comparison fails', () => {
    const conditions: TopLevelCondition = { all: [{ fact: 'decisions', operator: 'greaterThan', value: { fact: 'params', path: '$.missing' } }] };
    expect(evaluateConditionsDirect(conditions, { decisions: 10 }, {})).toBe(false);
  });

  it('combines all, any and not, including the engine\u2019s "empty any is true"', () => {
    const conditions: TopLevelCondition = {
      all: [
        { fact: 'cancelled', operator: 'equal', value: true },
        { not: { fact: 'appealed', operator: 'equal', value: true } },
        { any: [] },
      ],
    };
    expect(evaluateConditionsDirect(conditions, { cancelled: true, appealed: false })).toBe(true);
    expect(evaluateConditionsDirect(conditions, { cancelled: true, appealed: true })).toBe(false);
  });

  it('follows references to named conditions and refuses unknown ones', () => {
    const named = { 'lawful-void': { all: [{ fact: 'peakDayDistinctCameras', operator: 'lessThanInclusive', value: 1 }] } };
    const conditions: TopLevelCondition = { not: { condition: 'lawful-void' } };
    expect(evaluateConditionsDirect(conditions, { peakDayDistinctCameras: 1 }, {}, named)).toBe(false);
    expect(evaluateConditionsDirect(conditions, { peakDayDistinctCameras: 4 }, {}, named)).toBe(true);
    expect(() => evaluateConditionsDirect({ condition: 'nope' }, {}, {}, named)).toThrow(/No condition nope/);
  });

  it('applies decorators outermost first', () => {
    const anyShort: TopLevelCondition = { all: [{ fact: 'ids', operator: 'someFact:equal', value: 'e2' }] };
    expect(evaluateConditionsDirect(anyShort, { ids: ['e1', 'e2'] })).toBe(true);
    expect(evaluateConditionsDirect(anyShort, { ids: 'e2' })).toBe(false);
    const noneEqual: TopLevelCondition = { all: [{ fact: 'ids', operator: 'everyFact:not:equal', value: 'e2' }] };
    expect(evaluateConditionsDirect(noneEqual, { ids: ['e1', 'e3'] })).toBe(true);
    expect(evaluateConditionsDirect(noneEqual, { ids: ['e1', 'e2'] })).toBe(false);
  });

  it('supports the custom between operator, both ends included', () => {
    const band: TopLevelCondition = { all: [{ fact: 'hoursBeforeDeadline', operator: 'between', value: [0, 48] }] };
    expect(evaluateConditionsDirect(band, { hoursBeforeDeadline: 48 })).toBe(true);
    expect(evaluateConditionsDirect(band, { hoursBeforeDeadline: 0 })).toBe(true);
    expect(evaluateConditionsDirect(band, { hoursBeforeDeadline: 48.5 })).toBe(false);
    expect(evaluateConditionsDirect(band, { hoursBeforeDeadline: null })).toBe(false);
  });

  it('refuses an unknown operator', () => {
    expect(() => evaluateConditionsDirect({ all: [{ fact: 'x', operator: 'approximately', value: 1 }] }, { x: 1 })).toThrow(/Unknown operator/);
  });
});
