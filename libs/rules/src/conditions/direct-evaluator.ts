import { PARAMETERS_FACT } from '../facts/catalogue.js';
import { applyOperator, parseOperator } from './operators.js';
import { isFactCondition, isFactReference, type ConditionValue, type NestedCondition, type TopLevelCondition } from './types.js';

/**
 * Evaluates conditions in plain TypeScript, without json-rules-engine, with the same
 * results: the benchmark swaps it in to measure how much of a rule's evaluation time the
 * engine itself takes, and a spec checks both agree on random subjects.
 *
 * Semantics mirrored from the engine: a missing fact reads as undefined (the engine runs
 * with allowUndefinedFacts); an empty "all" and an empty "any" are both true; priorities
 * only change the engine's order of evaluation, never a result.
 */

export type NamedConditions = Readonly<Record<string, TopLevelCondition>>;

/** The only paths a rule may use: "$.name", read from the params fact. */
const SIMPLE_PATH = /^\$\.([A-Za-z_][A-Za-z0-9_]*)$/;

export function parameterNameOfPath(path: string): string | undefined {
  return SIMPLE_PATH.exec(path)?.[1];
}

function readFact(
  name: string,
  path: string | undefined,
  facts: Readonly<Record<string, unknown>>,
  parameters: Readonly<Record<string, number>>,
): unknown {
  const value = name === PARAMETERS_FACT ? parameters : Object.hasOwn(facts, name) ? facts[name] : undefined;
  if (path === undefined || value === null || typeof value !== 'object') return value;
  const key = parameterNameOfPath(path);
  if (key === undefined) throw new Error(`unsupported path "${path}": only "$.name" is allowed`);
  return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

function resolveValue(
  value: ConditionValue,
  facts: Readonly<Record<string, unknown>>,
  parameters: Readonly<Record<string, number>>,
): unknown {
  return isFactReference(value) ? readFact(value.fact, value.path, facts, parameters) : value;
}

export function evaluateConditionsDirect(
  conditions: TopLevelCondition,
  facts: Readonly<Record<string, unknown>>,
  parameters: Readonly<Record<string, number>> = {},
  namedConditions: NamedConditions = {},
): boolean {
  const evaluate = (condition: NestedCondition): boolean => {
    if (isFactCondition(condition)) {
      const operator = parseOperator(condition.operator);
      if (operator === undefined) throw new Error(`Unknown operator: ${condition.operator}`);
      const compareTo = resolveValue(condition.value, facts, parameters);
      const factValue = readFact(condition.fact, condition.path, facts, parameters);
      return applyOperator(operator, factValue, compareTo);
    }
    if ('all' in condition) return condition.all.every(evaluate);
    if ('any' in condition) return condition.any.length === 0 || condition.any.some(evaluate);
    if ('not' in condition) return !evaluate(condition.not);
    const referenced = Object.hasOwn(namedConditions, condition.condition) ? namedConditions[condition.condition] : undefined;
    if (referenced === undefined) throw new Error(`No condition ${condition.condition} exists`);
    return evaluate(referenced);
  };
  return evaluate(conditions);
}
