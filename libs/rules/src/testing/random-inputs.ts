import type { SubjectKind } from '@qadaga/domain';
import { factsFor, PARAMETERS_FACT, type FactDefinition } from '@qadaga/facts/catalogue';
import type { SeededRandom } from '@qadaga/statistics/testing';
import type { ConditionValue, FactCondition, NestedCondition, TopLevelCondition } from '../conditions/types.js';
import type { RuleDefinition } from '../rule-definition.js';

/**
 * Random facts and random condition trees for the specs that compare json-rules-engine
 * with the direct evaluator. Values cluster around the pack's thresholds (so conditions
 * both pass and fail) and include null and missing facts, where the two evaluators'
 * semantics are easiest to get subtly different.
 */

const NUMBERS = [0, 1, 2, 3, 4, 5, 7, 10, 20, 24, 25, 48, 49, 50, 100, 0.005, 0.01, 0.2, 0.3, 0.5, 0.9, 1e-30, 3.5, 3.6, -1, -3];
// '7' and '0.5' are strings that parseFloat reads as numbers, where loose comparison semantics show.
const STRINGS = ['reviewer', 'supervisor', 'appeals_desk', 'U-1', 'other', '', '2026-03-01', '7', '0.5'];

function randomValue(random: SeededRandom, fact: FactDefinition): unknown {
  switch (fact.type) {
    case 'number':
      return random.pick(NUMBERS);
    case 'boolean':
      return random.chance(0.5);
    case 'string':
      return random.pick(STRINGS);
    case 'string[]':
      return Array.from({ length: random.integer(4) }, () => random.pick(STRINGS));
  }
}

/** Facts for one subject: every catalogue fact, sometimes null, sometimes missing. */
export function randomFacts(random: SeededRandom, kind: SubjectKind): Record<string, unknown> {
  const facts: Record<string, unknown> = {};
  for (const fact of factsFor(kind)) {
    const roll = random.next();
    if (roll < 0.05) continue;
    facts[fact.name] = roll < 0.12 ? null : randomValue(random, fact);
  }
  return facts;
}

/** Parameter values inside each declared range, often at the bounds or the default. */
export function randomParameters(random: SeededRandom, rule: Pick<RuleDefinition, 'parameters'>): Record<string, number> {
  const values: Record<string, number> = {};
  for (const [name, parameter] of Object.entries(rule.parameters)) {
    const low = parameter.min ?? parameter.default - 10;
    const high = parameter.max ?? parameter.default + 10;
    const choices = [parameter.default, low, high, low + (high - low) * random.next()];
    values[name] = random.pick(choices);
  }
  return values;
}

export const RANDOM_PARAMETER_NAMES = ['alpha', 'beta', 'gamma'] as const;

function literalFor(random: SeededRandom, fact: FactDefinition): ConditionValue {
  const value = randomValue(random, fact);
  return Array.isArray(value) ? (value as string[])[0] ?? 'other' : (value as ConditionValue);
}

function numberOperand(random: SeededRandom, numberFacts: readonly FactDefinition[], facts: readonly FactDefinition[]): ConditionValue {
  const roll = random.next();
  if (roll < 0.3) return { fact: PARAMETERS_FACT, path: `$.${random.pick([...RANDOM_PARAMETER_NAMES, 'undeclared'])}` };
  if (roll < 0.45) return { fact: random.pick(numberFacts).name };
  if (roll < 0.5) return { fact: random.pick(facts).name };
  if (roll < 0.55) return { fact: 'noSuchFact' };
  return random.pick(NUMBERS);
}

const NUMERIC = ['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive'];

/**
 * A fact condition that cannot make either evaluator throw (the validator keeps real rules
 * in that space too), but freely mixes types, nulls, missing facts and decorators.
 */
function randomFactCondition(random: SeededRandom, facts: readonly FactDefinition[]): FactCondition {
  const fact = random.pick(facts);
  const numberFacts = facts.filter((candidate) => candidate.type === 'number');
  const listFacts = facts.filter((candidate) => candidate.type === 'string[]');
  const roll = random.next();
  if (roll < 0.35) {
    return { fact: fact.name, operator: random.pick(NUMERIC), value: numberOperand(random, numberFacts, facts) };
  }
  if (roll < 0.5) {
    const compared = random.chance(0.3) ? { fact: random.pick(facts).name } : literalFor(random, fact);
    return { fact: fact.name, operator: random.pick(['equal', 'notEqual', 'not:equal']), value: compared };
  }
  if (roll < 0.6) {
    const list = Array.from({ length: 1 + random.integer(3) }, () => literalFor(random, fact) as string);
    return { fact: fact.name, operator: random.pick(['in', 'notIn']), value: list };
  }
  if (roll < 0.7 && listFacts.length > 0) {
    return { fact: random.pick(listFacts).name, operator: random.pick(['contains', 'doesNotContain']), value: random.pick(STRINGS) };
  }
  if (roll < 0.78 && listFacts.length > 0) {
    return { fact: random.pick(listFacts).name, operator: random.pick(['someFact:equal', 'everyFact:notEqual']), value: random.pick(STRINGS) };
  }
  if (roll < 0.86) {
    const list = [random.pick(NUMBERS), random.pick(NUMBERS)];
    return { fact: random.pick(numberFacts).name, operator: random.pick(['someValue:lessThan', 'everyValue:greaterThanInclusive']), value: list };
  }
  if (roll < 0.93) {
    const [low, high] = [random.pick(NUMBERS), random.pick(NUMBERS)].sort((a, b) => a - b);
    return { fact: random.pick(numberFacts).name, operator: random.pick(['between', 'not:between']), value: [low ?? 0, high ?? 0] };
  }
  return {
    fact: PARAMETERS_FACT,
    path: `$.${random.pick(RANDOM_PARAMETER_NAMES)}`,
    operator: random.pick(['swap:lessThan', 'greaterThan']),
    value: numberOperand(random, numberFacts, facts),
  };
}

function randomNode(random: SeededRandom, facts: readonly FactDefinition[], depth: number, names: readonly string[]): NestedCondition {
  const roll = random.next();
  if (depth <= 0 || roll < 0.45) return randomFactCondition(random, facts);
  if (roll < 0.5 && names.length > 0) return { condition: random.pick(names) };
  return randomTree(random, facts, depth - 1, names);
}

export function randomTree(random: SeededRandom, facts: readonly FactDefinition[], depth: number, names: readonly string[] = []): TopLevelCondition {
  const children = (): NestedCondition[] => Array.from({ length: random.integer(4) }, () => randomNode(random, facts, depth, names));
  const roll = random.next();
  if (roll < 0.4) return { all: children(), ...(random.chance(0.2) ? { priority: 1 + random.integer(3) } : {}) };
  if (roll < 0.8) return { any: children() };
  return { not: randomNode(random, facts, depth, names) };
}
