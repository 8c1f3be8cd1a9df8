import { isFactCondition, type FactCondition, type NestedCondition, type TopLevelCondition } from './types.js';

export type ConditionPath = (string | number)[];

export interface Visit {
  factConditions: { condition: FactCondition; path: ConditionPath }[];
  references: { name: string; path: ConditionPath }[];
}

/** Collects every fact condition and every reference to a named condition, with its path. */
export function walkConditions(root: TopLevelCondition, rootPath: ConditionPath): Visit {
  const visit: Visit = { factConditions: [], references: [] };
  const walk = (node: NestedCondition, path: ConditionPath): void => {
    if (isFactCondition(node)) visit.factConditions.push({ condition: node, path });
    else if ('all' in node) node.all.forEach((child, index) => walk(child, [...path, 'all', index]));
    else if ('any' in node) node.any.forEach((child, index) => walk(child, [...path, 'any', index]));
    else if ('not' in node) walk(node.not, [...path, 'not']);
    else visit.references.push({ name: node.condition, path });
  };
  walk(root, rootPath);
  return visit;
}

/** "conditions.all[0].value" from ["conditions", "all", 0, "value"]. */
export function formatPath(path: readonly (string | number | symbol)[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text === '' ? '(rule)' : text;
}
