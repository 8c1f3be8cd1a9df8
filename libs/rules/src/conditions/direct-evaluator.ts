import { PARAMETERS_FACT } from '@qadaga/facts/catalogue';
import { applyOperator, parseOperator } from './operators.js';
import { isFactCondition, isFactReference, type ConditionValue, type NestedCondition, type TopLevelCondition } from './types.js';

/**
 * Evaluates conditions in plain TypeScript, without json-rules-engine, with the same
 * results: backtests use it where directlyEvaluable (direct-support.ts) proves it agrees,
 * the benchmark swaps it in to measure the engine's share, and specs check both agree.
 *
 * Semantics mirrored from the engine: a missing fact reads as undefined (the engine runs
 * with allowUndefinedFacts); an empty "all" and an empty "any" are both true; priorities
 * only change the engine's order of evaluation, never a result.
 */

export type NamedConditions = Readonly<Record<string, TopLevelCondition>>;

/** A condition tree turned into one function, so that operators are parsed once, not per subject. */
export type CompiledConditions = (facts: Readonly<Record<string, unknown>>, parameters: Readonly<Record<string, number>>) => boolean;

/** The only paths a rule may use: "$.name", read from the params fact. */
const SIMPLE_PATH = /^\$\.([A-Za-z_][A-Za-z0-9_]*)$/;

export function parameterNameOfPath(path: string): string | undefined {
  return SIMPLE_PATH.exec(path)?.[1];
}

type Reader = (facts: Readonly<Record<string, unknown>>, parameters: Readonly<Record<string, number>>) => unknown;

function factReader(name: string, path: string | undefined): Reader {
  const key = path === undefined ? undefined : parameterNameOfPath(path);
  const read: Reader = name === PARAMETERS_FACT ? (_facts, parameters) => parameters : (facts) => (Object.hasOwn(facts, name) ? facts[name] : undefined);
  if (path === undefined) return read;
  return (facts, parameters) => {
    const value = read(facts, parameters);
    if (value === null || typeof value !== 'object') return value;
    if (key === undefined) throw new Error(`unsupported path "${path}": only "$.name" is allowed`);
    return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
  };
}

function valueReader(value: ConditionValue): Reader {
  if (isFactReference(value)) return factReader(value.fact, value.path);
  return () => value;
}

/**
 * Compiles a condition tree. Errors the engine raises while running (an unknown operator, a
 * missing named condition) are raised when the compiled function meets them, as the engine
 * would, not when compiling: a branch never reached never fails.
 */
export function compileConditionsDirect(conditions: TopLevelCondition, namedConditions: NamedConditions = {}): CompiledConditions {
  const compiledNames = new Map<string, CompiledConditions>();
  const compile = (condition: NestedCondition): CompiledConditions => {
    if (isFactCondition(condition)) {
      const operator = parseOperator(condition.operator);
      if (operator === undefined) {
        return () => {
          throw new Error(`Unknown operator: ${condition.operator}`);
        };
      }
      const compareTo = valueReader(condition.value);
      const factValue = factReader(condition.fact, condition.path);
      return (facts, parameters) => {
        const right = compareTo(facts, parameters);
        return applyOperator(operator, factValue(facts, parameters), right);
      };
    }
    if ('all' in condition) {
      const children = condition.all.map(compile);
      return (facts, parameters) => children.every((child) => child(facts, parameters));
    }
    if ('any' in condition) {
      const children = condition.any.map(compile);
      return children.length === 0 ? () => true : (facts, parameters) => children.some((child) => child(facts, parameters));
    }
    if ('not' in condition) {
      const child = compile(condition.not);
      return (facts, parameters) => !child(facts, parameters);
    }
    const name = condition.condition;
    // Compiled on first use: named conditions may refer to one another.
    return (facts, parameters) => {
      let compiled = compiledNames.get(name);
      if (compiled === undefined) {
        const referenced = Object.hasOwn(namedConditions, name) ? namedConditions[name] : undefined;
        if (referenced === undefined) throw new Error(`No condition ${name} exists`);
        compiled = compile(referenced);
        compiledNames.set(name, compiled);
      }
      return compiled(facts, parameters);
    };
  };
  return compile(conditions);
}

export function evaluateConditionsDirect(
  conditions: TopLevelCondition,
  facts: Readonly<Record<string, unknown>>,
  parameters: Readonly<Record<string, number>> = {},
  namedConditions: NamedConditions = {},
): boolean {
  return compileConditionsDirect(conditions, namedConditions)(facts, parameters);
}
