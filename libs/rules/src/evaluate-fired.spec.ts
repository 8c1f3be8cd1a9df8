import { describe, expect, it } from 'vitest';
import { seededRandom } from '@qadaga/statistics/testing';
import { CheckedSubjects, evaluateFired, evaluateRule, firedSubjectIds } from './evaluate.js';
import { loadRulePack } from './pack.js';
import { randomFacts, randomParameters } from './testing/random-inputs.js';
import { sampleRule } from './testing/sample-rule.js';

describe('evaluateFired and firedSubjectIds', () => {
  const pack = loadRulePack();
  const now = new Date('2026-01-01T00:00:00Z');

  it.each(pack.map((rule) => [rule.id, rule] as const))(
    'give exactly the engine\u2019s fired verdicts for %s, on checked and unchecked subjects',
    async (_id, rule) => {
      const random = seededRandom(rule.id.length * 31 + rule.windowDays);
      const subjects = Array.from({ length: 300 }, (_, index) => ({ id: `s${index}`, facts: randomFacts(random, rule.subject) }));
      const checked = new CheckedSubjects(rule.subject, subjects);
      let fired = 0;
      for (const parameters of [{}, randomParameters(random, rule), randomParameters(random, rule)]) {
        const expected = (await evaluateRule(rule, subjects, { parameters, now })).filter((verdict) => verdict.fired);
        expect(await evaluateFired(rule, checked, { parameters, now, conditionEvaluator: 'direct-where-proven' })).toEqual(expected);
        expect(await evaluateFired(rule, subjects, { parameters, now, conditionEvaluator: 'direct-where-proven' })).toEqual(expected);
        expect(await firedSubjectIds(rule, checked, { parameters, conditionEvaluator: 'direct-where-proven' })).toEqual(expected.map((v) => v.subjectId));
        // The default evaluator stays the engine; the rule runner's lets the engine confirm.
        expect(await evaluateFired(rule, checked, { parameters, now })).toEqual(expected);
        expect(await evaluateFired(rule, checked, { parameters, now, conditionEvaluator: 'engine-confirms' })).toEqual(expected);
        fired += expected.length;
      }
      // Only rules with a multiple-testing correction may fire on none of these random subjects.
      if (rule.multipleTesting === undefined) expect(fired).toBeGreaterThan(0);
    },
  );

  it('does not copy the facts of a subject that does not fire', async () => {
    const quiet = { id: 'Q', facts: { decisions: 1, adverseRobustZ: 0, adversePValue: 0.9, evidenceEventIds: ['q|1'] } };
    const loud = { id: 'L', facts: { decisions: 100, adverseRobustZ: 9, adversePValue: 1e-12, evidenceEventIds: ['l|1'] } };
    // A fact that structuredClone cannot copy: copying it would throw.
    const uncopiable = { ...quiet, facts: { ...quiet.facts, unknownFact: () => 0 } };
    expect((await evaluateFired(sampleRule(), [uncopiable, loud], { conditionEvaluator: 'direct-where-proven' })).map((v) => v.subjectId)).toEqual(['L']);
    await expect(evaluateRule(sampleRule(), [uncopiable, loud])).rejects.toThrow();
  });

  it('refuses subjects checked as another kind', async () => {
    const checked = new CheckedSubjects('vehicle', []);
    await expect(evaluateFired(sampleRule(), checked)).rejects.toThrow(/officer subjects, but these were checked as vehicle/);
  });

  it('checks subjects once, when they are wrapped', () => {
    expect(() => new CheckedSubjects('officer', [{ id: 'A', facts: { decisions: '100' } }])).toThrow(/fact decisions should be number/);
    expect(() => new CheckedSubjects('officer', [{ id: 'A', facts: {} }, { id: 'A', facts: {} }])).toThrow(/appears twice/);
  });
});
