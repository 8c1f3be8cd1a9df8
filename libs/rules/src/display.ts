import type { DisplayDirection, DisplayUnit, FlagDisplay, PeerScope } from '@qadaga/contracts/api';
import { PARAMETERS_FACT } from '@qadaga/facts/catalogue';
import { compileConditionsDirect, parameterNameOfPath, type CompiledConditions } from './conditions/direct-evaluator.js';
import { parseOperator } from './conditions/operators.js';
import { isFactCondition, isFactReference, type FactCondition, type NestedCondition, type TopLevelCondition } from './conditions/types.js';
import type { ConditionPath } from './conditions/walk.js';
import type { DisplayDefinition, RuleDefinition } from './rule-definition.js';

/**
 * A rule's display: for each way the rule can fire, the fact, the threshold it passed and
 * how far beyond it the subject is. The readings use the very facts and parameters the
 * verdict (and so the explanation) used, so the page and the sentence give one number.
 */

/** A display entry as it reads for one subject, before peers are added (the runner adds them). */
export type DisplayReading = FlagDisplay & { peerScope?: PeerScope };

/** The facts whose equal values make a peer group; a city is every subject of the kind evaluated. */
export const PEER_GROUP_FACTS: Readonly<Record<PeerScope, readonly string[]>> = {
  city: [],
  unit: ['unit'],
  unitRole: ['unit', 'role'],
  officer: ['officerId'],
};

/** A fact condition reached from the rule's conditions, outside any "not", with the ways to it. */
export interface LocatedComparison {
  condition: FactCondition;
  path: ConditionPath;
  /** The conditions between the root and this one, outermost first (named conditions followed). */
  ancestors: readonly NestedCondition[];
  /** The child of the nearest "any" above it (or the root): the way to fire it belongs to. */
  branch: NestedCondition;
}

/** Which side of the threshold an operator flags, and whether the threshold itself counts. */
export function directionOfOperator(operator: string): { direction: DisplayDirection; inclusive: boolean } | undefined {
  const parsed = parseOperator(operator);
  if (parsed === undefined || parsed.decorators.length > 0) return undefined;
  switch (parsed.base) {
    case 'greaterThan':
      return { direction: 'above', inclusive: false };
    case 'greaterThanInclusive':
      return { direction: 'above', inclusive: true };
    case 'lessThan':
      return { direction: 'below', inclusive: false };
    case 'lessThanInclusive':
      return { direction: 'below', inclusive: true };
    case 'equal':
      return { direction: 'equal', inclusive: true };
    default:
      return undefined;
  }
}

/**
 * Every fact condition of the rule that can make it fire: conditions under a "not" are left
 * out (passing them stops a rule firing), and references to named conditions are followed.
 */
export function locateComparisons(conditions: TopLevelCondition, named: Readonly<Record<string, TopLevelCondition>> = {}): LocatedComparison[] {
  const found: LocatedComparison[] = [];
  const walk = (node: NestedCondition, path: ConditionPath, ancestors: NestedCondition[], branch: NestedCondition, following: ReadonlySet<string>): void => {
    const trail = [...ancestors, node];
    if (isFactCondition(node)) {
      found.push({ condition: node, path, ancestors: trail, branch });
      return;
    }
    if ('all' in node) node.all.forEach((child, index) => walk(child, [...path, 'all', index], trail, branch, following));
    else if ('any' in node) node.any.forEach((child, index) => walk(child, [...path, 'any', index], trail, child, following));
    else if ('not' in node) return;
    else {
      const target = Object.hasOwn(named, node.condition) ? named[node.condition] : undefined;
      if (target === undefined || following.has(node.condition)) return;
      walk(target, ['namedConditions', node.condition], trail, branch, new Set([...following, node.condition]));
    }
  };
  walk(conditions, ['conditions'], [], conditions, new Set());
  return found;
}

/** Every "any" of the rule (outside a "not"), with its path: each of its children is a way to fire. */
export function anyNodes(conditions: TopLevelCondition, named: Readonly<Record<string, TopLevelCondition>> = {}): { node: { any: NestedCondition[] }; path: ConditionPath }[] {
  const found: { node: { any: NestedCondition[] }; path: ConditionPath }[] = [];
  const walk = (node: NestedCondition, path: ConditionPath, following: ReadonlySet<string>): void => {
    if (isFactCondition(node) || 'not' in node) return;
    if ('all' in node) node.all.forEach((child, index) => walk(child, [...path, 'all', index], following));
    else if ('any' in node) {
      found.push({ node, path });
      node.any.forEach((child, index) => walk(child, [...path, 'any', index], following));
    } else {
      const target = Object.hasOwn(named, node.condition) ? named[node.condition] : undefined;
      if (target !== undefined && !following.has(node.condition)) walk(target, ['namedConditions', node.condition], new Set([...following, node.condition]));
    }
  };
  walk(conditions, ['conditions'], new Set());
  return found;
}

/** Whether a condition compares with the entry's threshold: the parameter, the literal or the fact it names. */
export function comparesWithThreshold(condition: FactCondition, threshold: DisplayDefinition['threshold']): boolean {
  const value = condition.value;
  if ('parameter' in threshold) {
    return isFactReference(value) && value.fact === PARAMETERS_FACT && value.path !== undefined && parameterNameOfPath(value.path) === threshold.parameter;
  }
  if ('fact' in threshold) return isFactReference(value) && value.fact === threshold.fact && value.path === undefined;
  return !isFactReference(value) && value === threshold.value;
}

/** The condition an entry stands for: its fact compared with its threshold, in its direction. */
export function comparisonOf(entry: DisplayDefinition, located: readonly LocatedComparison[]): LocatedComparison | undefined {
  return located.find(
    (l) =>
      l.condition.fact === entry.fact &&
      l.condition.path === undefined &&
      comparesWithThreshold(l.condition, entry.threshold) &&
      directionOfOperator(l.condition.operator)?.direction === entry.direction,
  );
}

/**
 * The smallest step of each unit that counts as "one unit beyond": a threshold of 0 (one
 * decision while absent is already too many) is scaled by it instead of by itself.
 */
const UNIT_STEP: Record<Exclude<DisplayUnit, 'flag' | 'pValue'>, number> = {
  share: 0.01,
  count: 1,
  days: 1,
  hours: 1,
  ratio: 0.1,
  zScore: 1,
  amount: 1,
};

function finite(value: number): number {
  if (value === Number.POSITIVE_INFINITY || Number.isNaN(value)) return Number.MAX_VALUE;
  return value;
}

/**
 * How far a value is beyond its threshold, on one scale for every entry of a rule: 0 when it
 * is not beyond, 1 exactly at an inclusive threshold, and 1 + (distance / scale) beyond it,
 * the scale being the threshold itself (or the unit's step when the threshold is smaller):
 * a share of 13 % against a limit of 5 % is 2.6, three decisions while absent against
 * "more than 0" are 4. A p-value below its threshold counts orders of magnitude instead.
 * A yes/no fact is 1 when it has the flagged value.
 */
export function strengthOf(value: unknown, threshold: unknown, direction: DisplayDirection, inclusive: boolean, unit: DisplayUnit): number {
  if (direction === 'equal') return value === threshold && value !== null && value !== undefined ? 1 : 0;
  if (typeof value !== 'number' || typeof threshold !== 'number' || Number.isNaN(value) || Number.isNaN(threshold)) return 0;
  const beyond = direction === 'above' ? (inclusive ? value >= threshold : value > threshold) : inclusive ? value <= threshold : value < threshold;
  if (!beyond) return 0;
  if (unit === 'pValue' && direction === 'below' && threshold > 0) return finite(1 + Math.log10(threshold / Math.max(value, Number.MIN_VALUE)));
  const distance = direction === 'above' ? value - threshold : threshold - value;
  const step = unit === 'flag' || unit === 'pValue' ? 1 : UNIT_STEP[unit];
  return finite(1 + distance / Math.max(Math.abs(threshold), step));
}

interface DisplayPlan {
  entries: { entry: DisplayDefinition; inclusive: boolean; branch: CompiledConditions | undefined }[];
}

const PLANS = new WeakMap<RuleDefinition, DisplayPlan>();

function planOf(rule: RuleDefinition): DisplayPlan {
  let plan = PLANS.get(rule);
  if (plan === undefined) {
    const named = rule.namedConditions ?? {};
    const located = locateComparisons(rule.conditions, named);
    plan = {
      entries: rule.display.map((entry) => {
        const comparison = comparisonOf(entry, located);
        return {
          entry,
          inclusive: comparison === undefined ? entry.direction === 'equal' : (directionOfOperator(comparison.condition.operator)?.inclusive ?? false),
          // The branch is judged whole: fastDecisionShare above its limit fired nothing unless
          // the same branch's minimum number of decisions was met too.
          branch: comparison === undefined ? undefined : compileConditionsDirect(comparison.branch as TopLevelCondition, named),
        };
      }),
    };
    PLANS.set(rule, plan);
  }
  return plan;
}

function read(facts: Readonly<Record<string, unknown>>, name: string): unknown {
  return Object.hasOwn(facts, name) ? facts[name] : undefined;
}

function scalar(value: unknown): number | boolean | null {
  return typeof value === 'number' || typeof value === 'boolean' ? value : null;
}

/**
 * Every display entry of the rule read for one subject, with whether it fired: its value
 * beyond its threshold and the rest of its branch passing too.
 */
export function readDisplay(rule: RuleDefinition, facts: Readonly<Record<string, unknown>>, parameters: Readonly<Record<string, number>>): { reading: DisplayReading; fired: boolean }[] {
  return planOf(rule).entries.map(({ entry, inclusive, branch }) => {
    const { threshold } = entry;
    const thresholdValue = 'parameter' in threshold ? parameters[threshold.parameter] : 'fact' in threshold ? read(facts, threshold.fact) : threshold.value;
    const value = read(facts, entry.fact);
    const strength = strengthOf(value, thresholdValue, entry.direction, inclusive, entry.unit);
    const fired = strength > 0 && branch !== undefined && branch(facts, parameters);
    const reading: DisplayReading = {
      fact: entry.fact,
      unit: entry.unit,
      value: scalar(value),
      threshold: {
        value: scalar(thresholdValue),
        parameter: 'parameter' in threshold ? threshold.parameter : null,
        fact: 'fact' in threshold ? threshold.fact : null,
      },
      direction: entry.direction,
      inclusive,
      strength: fired ? strength : 0,
      peers: null,
      ...(entry.peers === undefined ? {} : { peerScope: entry.peers.scope }),
    };
    return { reading, fired };
  });
}

/** The display entries that fired for one subject: what its flag shows. */
export function firedDisplay(rule: RuleDefinition, facts: Readonly<Record<string, unknown>>, parameters: Readonly<Record<string, number>>): DisplayReading[] {
  return readDisplay(rule, facts, parameters)
    .filter((r) => r.fired)
    .map((r) => r.reading);
}
