import { describe, expect, it } from 'vitest';
import { seededRandom } from '@qadaga/statistics/testing';
import { evaluateRule, type Subject } from './evaluate.js';
import { loadRulePack } from './pack.js';
import type { RuleDefinition } from './rule-definition.js';
import { randomFacts, randomParameters } from './testing/random-inputs.js';
import { sampleRule } from './testing/sample-rule.js';
import { RuleValidationFailure } from './validate-rule.js';

function officer(id: string, facts: Record<string, unknown>): Subject {
  return {
    id,
    facts: { decisions: 100, adverseActions: 10, adverseShare: 0.1, adverseRobustZ: 0.5, adversePValue: 0.5, evidenceEventIds: [`${id}-e1`], ...facts },
  };
}

describe('evaluateRule', () => {
  it('fires when the conditions pass and the q-value is within alpha', async () => {
    const verdicts = await evaluateRule(sampleRule(), [
      officer('A', { adverseRobustZ: 6, adversePValue: 1e-9 }),
      officer('B', {}),
      officer('C', { adverseRobustZ: 6, decisions: 10 }),
    ]);
    expect(verdicts.map((verdict) => [verdict.subjectId, verdict.conditionsPassed, verdict.fired])).toEqual([
      ['A', true, true],
      ['B', false, false],
      ['C', false, false],
    ]);
    expect(verdicts[0]?.qValue).toBeCloseTo(3e-9, 20);
    expect(verdicts[0]?.multipleTesting).toEqual({ method: 'benjamini-hochberg', alpha: 0.01, tested: 3 });
    expect(verdicts[0]?.score).toBeCloseTo(9, 10);
    expect(verdicts[0]?.evidenceEventIds).toEqual(['A-e1']);
    expect(verdicts[0]?.explanation.en).toMatch(/^Officer A: 10 of 100 \(10%\).*Benjamini.Hochberg/u);
  });

  it('corrects for the number of subjects: a p-value that flags alone does not flag among many', async () => {
    const suspect = officer('S', { adverseRobustZ: 6, adversePValue: 0.004 });
    const alone = await evaluateRule(sampleRule(), [suspect]);
    expect(alone[0]?.fired).toBe(true);
    const crowd = [suspect, ...Array.from({ length: 9 }, (_, index) => officer(`P${index}`, { adversePValue: 0.5 }))];
    const together = await evaluateRule(sampleRule(), crowd);
    expect(together[0]?.conditionsPassed).toBe(true);
    expect(together[0]?.qValue).toBeCloseTo(0.04, 12);
    expect(together[0]?.fired).toBe(false);
  });

  it('leaves a subject without a p-value out of the family; it can never fire', async () => {
    const verdicts = await evaluateRule(sampleRule(), [officer('A', { adverseRobustZ: 6, adversePValue: null }), officer('B', { adversePValue: 0.2 })]);
    expect(verdicts[0]?.conditionsPassed).toBe(true);
    expect(verdicts[0]?.fired).toBe(false);
    expect(verdicts[0]?.qValue).toBeUndefined();
    expect(verdicts[1]?.multipleTesting?.tested).toBe(1);
  });

  it('fires on the conditions alone when the rule has no multiple-testing correction', async () => {
    const rule = sampleRule();
    delete rule.multipleTesting;
    delete rule.parameters['alpha'];
    const verdicts = await evaluateRule(rule, [officer('A', { adverseRobustZ: 6, adversePValue: 0.9 })]);
    expect(verdicts[0]?.fired).toBe(true);
    expect(verdicts[0]?.qValue).toBeUndefined();
    expect(verdicts[0]?.explanation.en).not.toMatch(/Benjamini/);
  });

  it('applies parameter overrides and records them on the verdict', async () => {
    const subject = officer('A', { adverseRobustZ: 4, adversePValue: 1e-6 });
    expect((await evaluateRule(sampleRule(), [subject]))[0]?.fired).toBe(true);
    const stricter = await evaluateRule(sampleRule(), [subject], { parameters: { minRobustZ: 5 } });
    expect(stricter[0]?.fired).toBe(false);
    expect(stricter[0]?.parameters).toEqual({ minDecisions: 30, minRobustZ: 5, alpha: 0.01 });
    await expect(evaluateRule(sampleRule(), [subject], { parameters: { minRobustZ: 50 } })).rejects.toThrow(/maximum/);
  });

  it('records the evaluation instant and a copy of the facts', async () => {
    const subject = officer('A', {});
    const [verdict] = await evaluateRule(sampleRule(), [subject], { now: new Date('2026-03-12T05:00:00Z') });
    (subject.facts as Record<string, unknown>)['decisions'] = 1;
    (subject.facts['evidenceEventIds'] as string[]).push('late');
    expect(verdict?.evaluatedAt).toBe('2026-03-12T05:00:00.000Z');
    expect(verdict?.facts['decisions']).toBe(100);
    expect(verdict?.facts['evidenceEventIds']).toEqual(['A-e1']);
  });

  it('refuses an invalid rule, duplicate subjects, a reserved fact name and mistyped facts', async () => {
    const broken = { ...sampleRule(), detects: 'protected_plate' } as RuleDefinition;
    await expect(evaluateRule(broken, [])).rejects.toBeInstanceOf(RuleValidationFailure);
    await expect(evaluateRule(sampleRule(), [officer('A', {}), officer('A', {})])).rejects.toThrow(/appears twice/);
    await expect(evaluateRule(sampleRule(), [officer('A', { params: {} })])).rejects.toThrow(/reserved/);
    await expect(evaluateRule(sampleRule(), [officer('A', { decisions: '100' })])).rejects.toThrow(/fact decisions should be number/);
  });

  it('returns no verdicts for no subjects', async () => {
    expect(await evaluateRule(sampleRule(), [])).toEqual([]);
  });
});

describe('evaluateRule with the direct evaluator', () => {
  const pack = loadRulePack();

  it.each(pack.map((rule) => [rule.id, rule] as const))('gives the same verdicts as json-rules-engine for %s on random subjects', async (_id, rule) => {
    const random = seededRandom(rule.id.length * 7919 + rule.windowDays);
    const subjects = Array.from({ length: 400 }, (_, index) => ({ id: `s${index}`, facts: randomFacts(random, rule.subject) }));
    const now = new Date('2026-01-01T00:00:00Z');
    let passed = 0;
    // Defaults first, then parameters drawn within their bounds.
    for (const parameters of [{}, randomParameters(random, rule)]) {
      const viaEngine = await evaluateRule(rule, subjects, { parameters, now });
      const direct = await evaluateRule(rule, subjects, { parameters, now, conditionEvaluator: 'direct' });
      expect(direct).toEqual(viaEngine);
      passed += viaEngine.filter((verdict) => verdict.conditionsPassed).length;
    }
    // Both outcomes occur, so agreement is not the trivial "nothing passes".
    expect(passed).toBeGreaterThan(0);
    expect(passed).toBeLessThan(2 * subjects.length);
  });
});
