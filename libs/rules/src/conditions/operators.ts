/**
 * The operators a condition may name, with their semantics written out once in plain
 * TypeScript. json-rules-engine has its own copies of the built-ins; the direct evaluator
 * uses these, and a spec runs both on random input to prove they agree. Custom operators
 * are registered on the engine from this same table, so they cannot drift.
 *
 * JavaScript's loose semantics are reproduced on purpose (for example `lessThan` accepts
 * anything parseFloat can read); the validator is what keeps rules from relying on them.
 */

export type OperatorTest = (factValue: unknown, compareTo: unknown) => boolean;
export type FactValueCheck = (factValue: unknown) => boolean;

export interface OperatorDefinition {
  test: OperatorTest;
  /** When false, the condition fails without calling test. */
  acceptsFactValue: FactValueCheck;
}

export interface DecoratorDefinition {
  apply: (factValue: unknown, compareTo: unknown, next: OperatorTest) => boolean;
  acceptsFactValue: FactValueCheck;
}

const anyValue: FactValueCheck = () => true;
const isNumberLike: FactValueCheck = (value) => !Number.isNaN(Number.parseFloat(String(value)));

function indexIn(container: unknown, item: unknown): number {
  if (Array.isArray(container)) return container.indexOf(item);
  if (typeof container === 'string') return container.indexOf(String(item));
  throw new TypeError(`cannot look for a value in ${typeof container}`);
}

function asArray(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`expected an array, got ${typeof value}`);
  return value;
}

// Relational comparison with JavaScript's coercions, as the engine does it.
const below = (a: unknown, b: unknown): boolean => (a as number) < (b as number);
const atMost = (a: unknown, b: unknown): boolean => (a as number) <= (b as number);

export const BUILT_IN_OPERATORS: Readonly<Record<string, OperatorDefinition>> = {
  equal: { test: (a, b) => a === b, acceptsFactValue: anyValue },
  notEqual: { test: (a, b) => a !== b, acceptsFactValue: anyValue },
  in: { test: (a, b) => indexIn(b, a) > -1, acceptsFactValue: anyValue },
  notIn: { test: (a, b) => indexIn(b, a) === -1, acceptsFactValue: anyValue },
  contains: { test: (a, b) => indexIn(a, b) > -1, acceptsFactValue: Array.isArray },
  doesNotContain: { test: (a, b) => indexIn(a, b) === -1, acceptsFactValue: Array.isArray },
  lessThan: { test: below, acceptsFactValue: isNumberLike },
  lessThanInclusive: { test: atMost, acceptsFactValue: isNumberLike },
  greaterThan: { test: (a, b) => below(b, a), acceptsFactValue: isNumberLike },
  greaterThanInclusive: { test: (a, b) => atMost(b, a), acceptsFactValue: isNumberLike },
};

/**
 * Registered on every engine this lib builds. `between` exists because a band such as
 * "24 to 48 hours before the deadline" otherwise needs two conditions on the same fact;
 * its value is a literal [low, high], both ends included.
 */
export const CUSTOM_OPERATORS: Readonly<Record<string, OperatorDefinition>> = {
  between: {
    test: (a, b) => {
      const [low, high] = asArray(b);
      return atMost(low, a) && atMost(a, high);
    },
    acceptsFactValue: (value) => typeof value === 'number' && !Number.isNaN(value),
  },
};

export const DECORATORS: Readonly<Record<string, DecoratorDefinition>> = {
  someFact: { apply: (a, b, next) => asArray(a).some((item) => next(item, b)), acceptsFactValue: Array.isArray },
  someValue: { apply: (a, b, next) => asArray(b).some((item) => next(a, item)), acceptsFactValue: anyValue },
  everyFact: { apply: (a, b, next) => asArray(a).every((item) => next(item, b)), acceptsFactValue: Array.isArray },
  everyValue: { apply: (a, b, next) => asArray(b).every((item) => next(a, item)), acceptsFactValue: anyValue },
  swap: { apply: (a, b, next) => next(b, a), acceptsFactValue: anyValue },
  not: { apply: (a, b, next) => !next(a, b), acceptsFactValue: anyValue },
};

export const OPERATORS: Readonly<Record<string, OperatorDefinition>> = { ...BUILT_IN_OPERATORS, ...CUSTOM_OPERATORS };

export interface ParsedOperator {
  /** Outermost first, as written: "someFact:not:equal" -> ["someFact", "not"]. */
  decorators: string[];
  base: string;
}

/** Splits "decorator:...:operator" the way the engine resolves it; undefined when any part is unknown. */
export function parseOperator(name: string): ParsedOperator | undefined {
  const decorators: string[] = [];
  let rest = name;
  while (!Object.hasOwn(OPERATORS, rest)) {
    const colon = rest.indexOf(':');
    if (colon <= 0) return undefined;
    const decorator = rest.slice(0, colon);
    if (!Object.hasOwn(DECORATORS, decorator)) return undefined;
    decorators.push(decorator);
    rest = rest.slice(colon + 1);
  }
  return { decorators, base: rest };
}

/** Applies a parsed operator: each decorator wraps the rest, and checks the fact value it receives. */
export function applyOperator(parsed: ParsedOperator, factValue: unknown, compareTo: unknown, depth = 0): boolean {
  const decoratorName = parsed.decorators[depth];
  if (decoratorName === undefined) {
    const operator = OPERATORS[parsed.base] as OperatorDefinition;
    return operator.acceptsFactValue(factValue) && operator.test(factValue, compareTo);
  }
  const decorator = DECORATORS[decoratorName] as DecoratorDefinition;
  return (
    decorator.acceptsFactValue(factValue) &&
    decorator.apply(factValue, compareTo, (a, b) => applyOperator(parsed, a, b, depth + 1))
  );
}

export const OPERATOR_NAMES: readonly string[] = Object.keys(OPERATORS);
export const DECORATOR_NAMES: readonly string[] = Object.keys(DECORATORS);
