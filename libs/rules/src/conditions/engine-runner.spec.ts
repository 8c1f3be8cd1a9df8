import { describe, expect, it, vi } from 'vitest';

// Counts what evaluateRule asks of json-rules-engine, keeping the real behaviour.
const usage = vi.hoisted(() => ({ engines: 0, rulesAdded: 0, runs: 0 }));

vi.mock('json-rules-engine', async (importOriginal) => {
  const original = await importOriginal<typeof import('json-rules-engine')>();
  class CountingEngine extends original.Engine {
    constructor(...args: ConstructorParameters<typeof original.Engine>) {
      super(...args);
      usage.engines++;
    }
    override addRule(...args: Parameters<InstanceType<typeof original.Engine>['addRule']>): this {
      usage.rulesAdded++;
      return super.addRule(...args);
    }
    override run(...args: Parameters<InstanceType<typeof original.Engine>['run']>): ReturnType<InstanceType<typeof original.Engine>['run']> {
      usage.runs++;
      return super.run(...args);
    }
  }
  return { ...original, Engine: CountingEngine };
});

const { evaluateRule } = await import('../evaluate.js');
const { sampleRule } = await import('../testing/sample-rule.js');

describe('evaluateRule and json-rules-engine', () => {
  it('builds one engine per call, adds the rule once and runs once per subject', async () => {
    const subjects = Array.from({ length: 25 }, (_, index) => ({
      id: `o${index}`,
      facts: { decisions: 40 + index, adverseRobustZ: index / 4, adversePValue: 0.5 / (index + 1) },
    }));
    const verdicts = await evaluateRule(sampleRule(), subjects);
    expect(verdicts).toHaveLength(25);
    expect(verdicts.some((verdict) => verdict.conditionsPassed)).toBe(true);
    expect(usage).toEqual({ engines: 1, rulesAdded: 1, runs: 25 });
  });

  it('does not touch the engine when asked for the direct evaluator', async () => {
    const before = { ...usage };
    await evaluateRule(sampleRule(), [{ id: 'o1', facts: { decisions: 50, adverseRobustZ: 5, adversePValue: 1e-5 } }], { conditionEvaluator: 'direct' });
    expect(usage).toEqual(before);
  });
});

describe('evaluateRule with the direct evaluator where it is proven', () => {
  it('leaves the engine untouched for a rule the direct evaluator is proven on', async () => {
    const before = { ...usage };
    const verdicts = await evaluateRule(sampleRule(), [{ id: 'o1', facts: { decisions: 50, adverseRobustZ: 5, adversePValue: 1e-5 } }], { conditionEvaluator: 'direct-where-proven' });
    expect(verdicts[0]?.conditionsPassed).toBe(true);
    expect(usage).toEqual(before);
  });

  it('runs the engine for a rule it is not proven on, with the engine\u2019s outcome', async () => {
    const rule = sampleRule();
    // "in" against a list read from a fact throws on a null list; the engine reaches it even
    // though an earlier member of the "any" already passed, the direct evaluator would not.
    rule.conditions = {
      any: [
        { fact: 'decisions', operator: 'greaterThanInclusive', value: { fact: 'params', path: '$.minDecisions' } },
        { fact: 'adverseRobustZ', operator: 'greaterThan', value: { fact: 'params', path: '$.minRobustZ' } },
        { fact: 'unit', operator: 'in', value: { fact: 'evidenceEventIds' } },
      ],
    };
    rule.display.push({ fact: 'decisions', threshold: { parameter: 'minDecisions' }, direction: 'above', unit: 'count' });
    rule.explanation = { en: `${rule.explanation.en} {param.minDecisions}`, ru: `${rule.explanation.ru} {param.minDecisions}`, kk: `${rule.explanation.kk} {param.minDecisions}` };
    const before = usage.runs;
    const subjects = [{ id: 'o1', facts: { decisions: 50, adverseRobustZ: 5, adversePValue: 1e-5, unit: 'U-1', evidenceEventIds: null } }];
    await expect(evaluateRule(rule, subjects, { conditionEvaluator: 'direct-where-proven' })).rejects.toThrow(TypeError);
    expect(usage.runs).toBe(before + 1);
  });
});
