import { describe, expect, it } from 'vitest';
import { SUBJECT_KINDS } from '@qadaga/domain';
import { factsFor, findFact, PARAMETERS_FACT } from '@qadaga/facts/catalogue';
import { seededRandom, type SeededRandom } from '@qadaga/statistics/testing';
import { loadRulePack } from '../pack.js';
import type { RuleDefinition } from '../rule-definition.js';
import { RANDOM_PARAMETER_NAMES, randomFacts, randomParameters, randomTree } from '../testing/random-inputs.js';
import { compileConditionsDirect, evaluateConditionsDirect } from './direct-evaluator.js';
import { directlyEvaluable } from './direct-support.js';
import { createConditionEngine } from './engine-runner.js';
import { isFactReference, type FactCondition, type TopLevelCondition } from './types.js';
import { walkConditions } from './walk.js';

/** A value that leaves the fact out of the subject, as a source that never reported it would. */
const MISSING = Symbol('missing');

/** Just below and just above: far enough apart to be different doubles even at large magnitudes. */
function neighbours(value: number): number[] {
  const step = Math.max(Math.abs(value) * 1e-9, 1e-12);
  return [value - step, value, value + step];
}

function factConditionsOf(rule: RuleDefinition): FactCondition[] {
  const roots: TopLevelCondition[] = [rule.conditions, ...Object.values(rule.namedConditions ?? {})];
  return roots.flatMap((root) => walkConditions(root, []).factConditions.map((visit) => visit.condition));
}

/**
 * The values each fact the rule reads may take: for numbers, every threshold the rule compares
 * with (its literals and the parameter values in play) and just below and just above each,
 * which covers a fact compared with another fact too, since both draw from the same thresholds;
 * for the other types, the rule's own literals and something else; for every fact, null and
 * missing.
 */
function candidateValues(rule: RuleDefinition, parameters: Readonly<Record<string, number>>): Map<string, unknown[]> {
  const conditions = factConditionsOf(rule);
  const numbers = new Set<number>([0, -1]);
  const literals = new Map<string, Set<unknown>>();
  const read = new Set<string>();
  for (const condition of conditions) {
    read.add(condition.fact);
    const values = isFactReference(condition.value) ? [] : Array.isArray(condition.value) ? condition.value : [condition.value];
    if (isFactReference(condition.value)) read.add(condition.value.fact);
    for (const value of values) {
      if (typeof value === 'number') numbers.add(value);
      else literals.set(condition.fact, (literals.get(condition.fact) ?? new Set()).add(value));
    }
  }
  for (const value of Object.values(parameters)) numbers.add(value);
  const thresholds = [...numbers].flatMap(neighbours);
  const candidates = new Map<string, unknown[]>();
  for (const name of read) {
    if (name === PARAMETERS_FACT) continue;
    const type = findFact(rule.subject, name)?.type;
    const own = [...(literals.get(name) ?? [])].filter((value) => typeof value === 'string');
    const values: unknown[] =
      type === 'number'
        ? thresholds
        : type === 'boolean'
          ? [true, false]
          : type === 'string[]'
            ? [[], ['other'], ...own.map((value) => [value]), ...own.map((value) => ['other', value])]
            : [...own, 'other', ''];
    candidates.set(name, [...values, null, MISSING]);
  }
  return candidates;
}

/**
 * Subjects over the candidate values: every combination when there are few enough, else a
 * seeded sample of them plus every value of each fact on top of a sampled base, so that each
 * value meets each threshold at least once whatever the other facts hold.
 */
function boundarySubjects(rule: RuleDefinition, parameters: Readonly<Record<string, number>>, random: SeededRandom, limit: number): Record<string, unknown>[] {
  const candidates = [...candidateValues(rule, parameters)];
  const base = () => randomFacts(random, rule.subject);
  const subject = (choice: (name: string, values: unknown[], index: number) => unknown): Record<string, unknown> => {
    const facts = base();
    candidates.forEach(([name, values], index) => {
      const value = choice(name, values, index);
      if (value === MISSING) delete facts[name];
      else facts[name] = value;
    });
    return facts;
  };
  const combinations = candidates.reduce((product, [, values]) => product * values.length, 1);
  if (combinations <= limit) {
    return Array.from({ length: combinations }, (_, n) => {
      let rest = n;
      return subject((_name, values) => {
        const value = values[rest % values.length];
        rest = Math.floor(rest / values.length);
        return value;
      });
    });
  }
  const subjects = Array.from({ length: limit }, () => subject((_name, values) => random.pick(values)));
  for (const [varied, values] of candidates) {
    for (const value of values) subjects.push(subject((name, all) => (name === varied ? value : random.pick(all))));
  }
  return subjects;
}

function parameterSets(rule: RuleDefinition, random: SeededRandom): Record<string, number>[] {
  const at = (pick: (definition: RuleDefinition['parameters'][string]) => number | undefined) =>
    Object.fromEntries(Object.entries(rule.parameters).map(([name, definition]) => [name, pick(definition) ?? definition.default]));
  return [at((d) => d.default), at((d) => d.min), at((d) => d.max), randomParameters(random, rule), randomParameters(random, rule)];
}

describe('the direct evaluator agrees with json-rules-engine', () => {
  const pack = loadRulePack();

  it('is proven on every rule of the pack, so backtests of the pack never need the engine', () => {
    expect(pack.length).toBeGreaterThan(0);
    expect(pack.filter((rule) => !directlyEvaluable(rule.conditions, rule.namedConditions)).map((rule) => rule.id)).toEqual([]);
  });

  it.each(pack.map((rule) => [rule.id, rule] as const))(
    'on %s, at, just below and just above every threshold, with nulls and missing facts',
    async (_id, rule) => {
      const random = seededRandom(rule.id.length * 104_729 + rule.windowDays);
      const engine = createConditionEngine(rule.conditions, rule.namedConditions);
      const direct = compileConditionsDirect(rule.conditions, rule.namedConditions);
      let passed = 0;
      let failed = 0;
      for (const parameters of parameterSets(rule, random)) {
        for (const facts of boundarySubjects(rule, parameters, random, 200)) {
          const expected = await engine.passes(facts, parameters);
          if (direct(facts, parameters) !== expected) throw new Error(`disagree on ${JSON.stringify({ rule: rule.id, facts, parameters, expected })}`);
          if (expected) passed++;
          else failed++;
        }
      }
      // Both outcomes must occur, or the comparison would prove nothing.
      expect(passed).toBeGreaterThan(0);
      expect(failed).toBeGreaterThan(0);
    },
  );

  it.each(SUBJECT_KINDS)('on random condition trees and random %s subjects', async (kind) => {
    const random = seededRandom(SUBJECT_KINDS.indexOf(kind) + 101);
    const facts = factsFor(kind);
    let passed = 0;
    let failed = 0;
    for (let tree = 0; tree < 40; tree++) {
      // Named conditions may refer to earlier ones only, so references never loop.
      const named: Record<string, TopLevelCondition> = {};
      for (const name of ['shared-a', 'shared-b']) named[name] = randomTree(random, facts, 2, Object.keys(named));
      const conditions = randomTree(random, facts, 3, Object.keys(named));
      // The random trees stay within what cannot throw, which is the subset proven here.
      expect(directlyEvaluable(conditions, named)).toBe(true);
      const engine = createConditionEngine(conditions, named);
      for (let subject = 0; subject < 15; subject++) {
        const subjectFacts = randomFacts(random, kind);
        const parameters = Object.fromEntries(RANDOM_PARAMETER_NAMES.map((name) => [name, random.pick([0, 0.5, 3.5, 10, 48])]));
        const expected = await engine.passes(subjectFacts, parameters);
        const actual = evaluateConditionsDirect(conditions, subjectFacts, parameters, named);
        if (actual !== expected) {
          throw new Error(`disagree on ${JSON.stringify({ conditions, named, subjectFacts, parameters, expected })}`);
        }
        if (expected) passed++;
        else failed++;
      }
    }
    expect(passed).toBeGreaterThan(20);
    expect(failed).toBeGreaterThan(20);
  });
});

describe('where the direct evaluator is not proven', () => {
  const leaf = (operator: string, value: FactCondition['value'], extra: Partial<FactCondition> = {}): TopLevelCondition => ({
    all: [{ fact: 'unit', operator, value, ...extra }],
  });

  it('admits no operator that could throw on a value read from a fact, nor paths other than "$.name" on params', () => {
    expect(directlyEvaluable(leaf('in', ['U-1', 'U-2']))).toBe(true);
    expect(directlyEvaluable(leaf('in', 'U-1 U-2'))).toBe(true);
    expect(directlyEvaluable(leaf('in', { fact: 'role' }))).toBe(false);
    expect(directlyEvaluable(leaf('notIn', null))).toBe(false);
    expect(directlyEvaluable(leaf('between', { fact: 'params', path: '$.low' }))).toBe(false);
    expect(directlyEvaluable(leaf('someValue:equal', { fact: 'role' }))).toBe(false);
    expect(directlyEvaluable(leaf('someValue:in', ['a', 'b']))).toBe(true);
    expect(directlyEvaluable(leaf('someValue:in', [1, 2]))).toBe(false);
    expect(directlyEvaluable(leaf('swap:in', ['a']))).toBe(false);
    expect(directlyEvaluable(leaf('swap:lessThan', 3))).toBe(true);
    expect(directlyEvaluable(leaf('noSuchOperator', 3))).toBe(false);
    expect(directlyEvaluable(leaf('equal', 'x', { path: '$.name' }))).toBe(false);
    expect(directlyEvaluable(leaf('equal', { fact: 'params' }))).toBe(false);
    expect(directlyEvaluable(leaf('equal', { fact: 'params', path: '$[0]' }))).toBe(false);
  });

  it('admits named conditions only when they exist and do not refer to themselves', () => {
    const named: Record<string, TopLevelCondition> = { a: leaf('equal', 'U-1'), loop: { all: [{ condition: 'loop' }] } };
    expect(directlyEvaluable({ any: [{ condition: 'a' }, { condition: 'a' }] }, named)).toBe(true);
    expect(directlyEvaluable({ all: [{ condition: 'missing' }] }, named)).toBe(false);
    expect(directlyEvaluable({ all: [{ condition: 'loop' }] }, named)).toBe(false);
  });

  it('would differ from the engine there: the engine fails on a throwing member the direct evaluator never reaches', async () => {
    const conditions: TopLevelCondition = {
      any: [
        { fact: 'unit', operator: 'equal', value: 'U-1' },
        { fact: 'role', operator: 'in', value: { fact: 'peerRoles' } },
      ],
    };
    expect(directlyEvaluable(conditions)).toBe(false);
    const facts = { unit: 'U-1', role: 'reviewer', peerRoles: null };
    expect(evaluateConditionsDirect(conditions, facts)).toBe(true);
    await expect(createConditionEngine(conditions).passes(facts, {})).rejects.toThrow(TypeError);
  });
});
