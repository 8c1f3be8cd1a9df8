import { PARAMETERS_FACT } from '@qadaga/facts/catalogue';
import { parameterNameOfPath, type NamedConditions } from './direct-evaluator.js';
import { parseOperator } from './operators.js';
import { isFactCondition, isFactReference, type ConditionValue, type FactCondition, type NestedCondition, type TopLevelCondition } from './types.js';

/**
 * Whether the direct evaluator is proven to give json-rules-engine's verdict on a condition
 * tree, for any subject whose facts are JSON values (what @qadaga/facts computes):
 * evaluators-agree.spec.ts checks it on every rule of the pack at, just below and just above
 * each threshold, with nulls and missing facts, and on random trees of this subset.
 *
 * Both evaluators share the operator table (operators.ts), so they can differ only where an
 * operator throws: the engine runs the members of an "all" or "any" together and rejects when
 * any of them throws, while the direct evaluator stops at the first deciding member and may
 * never reach it. The subset admitted here is the one in which no operator can throw on JSON
 * input, so the order of evaluation cannot matter:
 * - equal, notEqual, the four comparisons, contains and doesNotContain, against any value;
 * - in and notIn against a literal array or string, between against a literal array;
 * - the decorators not, someFact, everyFact and swap, and someValue and everyValue over a
 *   literal array, as long as the operator they end on still meets the rule above;
 * - paths only as "$.name" on the params fact (the engine reads paths with JSONPath, whose
 *   other forms the direct evaluator does not implement);
 * - named conditions that exist and do not refer to themselves.
 * Anything else (a decorator or operator added later, a value read from a fact where a
 * literal array is needed, an unknown name) is not supported, and the caller falls back to
 * json-rules-engine for the whole rule.
 */

/** What is known of an operand before any subject is seen: a literal's kind, or nothing (a fact). */
type Operand = 'fact' | 'array' | 'string' | 'scalar' | 'element';

const NEVER_THROWS = new Set(['equal', 'notEqual', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive', 'contains', 'doesNotContain']);

function literalKind(value: ConditionValue): Operand {
  if (isFactReference(value)) return 'fact';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'string' ? 'string' : 'scalar';
}

function readsSupported(fact: string, path: string | undefined): boolean {
  if (path === undefined) return fact !== PARAMETERS_FACT;
  return fact === PARAMETERS_FACT && parameterNameOfPath(path) !== undefined;
}

function elementKind(value: ConditionValue): Operand {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? 'string' : 'element';
}

function factConditionSupported(condition: FactCondition): boolean {
  if (!readsSupported(condition.fact, condition.path)) return false;
  if (isFactReference(condition.value) && !readsSupported(condition.value.fact, condition.value.path)) return false;
  const operator = parseOperator(condition.operator);
  if (operator === undefined) return false;
  let left: Operand = 'fact';
  let right: Operand = literalKind(condition.value);
  for (const decorator of operator.decorators) {
    switch (decorator) {
      case 'not':
        break;
      case 'someFact':
      case 'everyFact':
        // Only applied to an array fact value; its items are then unknown values.
        left = 'fact';
        break;
      case 'someValue':
      case 'everyValue':
        if (right !== 'array') return false;
        right = elementKind(condition.value);
        break;
      case 'swap':
        [left, right] = [right, left];
        break;
      default:
        return false;
    }
  }
  if (NEVER_THROWS.has(operator.base)) return true;
  if (operator.base === 'in' || operator.base === 'notIn') return right === 'array' || right === 'string';
  if (operator.base === 'between') return right === 'array';
  return false;
}

export function directlyEvaluable(conditions: TopLevelCondition, namedConditions: NamedConditions = {}): boolean {
  const checked = new Set<string>();
  const visiting = new Set<string>();
  const supported = (node: NestedCondition): boolean => {
    if (isFactCondition(node)) return factConditionSupported(node);
    if ('all' in node) return node.all.every(supported);
    if ('any' in node) return node.any.every(supported);
    if ('not' in node) return supported(node.not);
    const name = node.condition;
    if (checked.has(name)) return true;
    if (visiting.has(name) || !Object.hasOwn(namedConditions, name)) return false;
    visiting.add(name);
    const ok = supported(namedConditions[name] as TopLevelCondition);
    visiting.delete(name);
    if (ok) checked.add(name);
    return ok;
  };
  return supported(conditions);
}
