/**
 * Conditions in json-rules-engine's JSON form (all / any / not / a reference to a named
 * condition, down to { fact, operator, value }), typed more strictly than the library
 * does: a value is a JSON literal or a reference to another fact, never `any`.
 */

export type Scalar = string | number | boolean | null;

/** A value read from another fact; the rule's parameters are the fact "params" with a path such as "$.minShare". */
export interface FactReference {
  fact: string;
  path?: string;
}

export type ConditionValue = Scalar | Scalar[] | FactReference;

interface ConditionMeta {
  name?: string;
  priority?: number;
}

export interface FactCondition extends ConditionMeta {
  fact: string;
  operator: string;
  value: ConditionValue;
  path?: string;
}

export interface AllConditions extends ConditionMeta {
  all: NestedCondition[];
}

export interface AnyConditions extends ConditionMeta {
  any: NestedCondition[];
}

export interface NotConditions extends ConditionMeta {
  not: NestedCondition;
}

export interface ConditionReference extends ConditionMeta {
  condition: string;
}

export type TopLevelCondition = AllConditions | AnyConditions | NotConditions | ConditionReference;
export type NestedCondition = FactCondition | TopLevelCondition;

export function isFactReference(value: ConditionValue): value is FactReference {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function isFactCondition(condition: NestedCondition): condition is FactCondition {
  return 'fact' in condition;
}
