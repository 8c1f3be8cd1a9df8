import { DISTRIBUTION_MAX_VALUES, type FactDistribution } from '@qadaga/contracts/api';
import { comparisonOf, directionOfOperator, locateComparisons } from './display.js';
import type { RuleDefinition } from './rule-definition.js';

/** Every value when there are few; else `max` values spread evenly over the sorted ones, both ends kept. */
export function sampleEvenly(sorted: readonly number[], max: number = DISTRIBUTION_MAX_VALUES): number[] {
  if (sorted.length <= max) return [...sorted];
  if (max <= 1) return sorted.slice(0, max);
  const out: number[] = [];
  for (let i = 0; i < max; i += 1) out.push(sorted[Math.round((i * (sorted.length - 1)) / (max - 1))] as number);
  return out;
}

function isBeyond(value: number, threshold: number, direction: 'above' | 'below', inclusive: boolean): boolean {
  if (direction === 'above') return inclusive ? value >= threshold : value > threshold;
  return inclusive ? value <= threshold : value < threshold;
}

/**
 * For each display entry of the draft whose threshold is a parameter (the ones an author
 * moves), the values of its fact over the judged subjects: how many lie beyond the draft's
 * threshold, and how many lie between the published version's threshold and the draft's,
 * so "nothing changed" reads as "no subject lies between 0.02 and 0.05". Counted from the
 * facts the evaluation already has; yes/no facts have no spread to draw and are left out.
 */
export function factDistributions(
  draft: RuleDefinition,
  subjects: readonly { facts: Readonly<Record<string, unknown>> }[],
  published: RuleDefinition | null,
): FactDistribution[] {
  const located = locateComparisons(draft.conditions, draft.namedConditions ?? {});
  const out: FactDistribution[] = [];
  const seen = new Set<string>();
  for (const entry of draft.display) {
    if (!('parameter' in entry.threshold) || entry.direction === 'equal') continue;
    const parameter = entry.threshold.parameter;
    const key = `${entry.fact}|${parameter}|${entry.direction}`;
    const declared = draft.parameters[parameter];
    if (seen.has(key) || declared === undefined) continue;
    seen.add(key);
    const comparison = comparisonOf(entry, located);
    const inclusive = comparison === undefined ? false : (directionOfOperator(comparison.condition.operator)?.inclusive ?? false);
    const values: number[] = [];
    let withoutValue = 0;
    for (const s of subjects) {
      const v = Object.hasOwn(s.facts, entry.fact) ? s.facts[entry.fact] : undefined;
      if (typeof v === 'number' && Number.isFinite(v)) values.push(v);
      else withoutValue += 1;
    }
    values.sort((a, b) => a - b);
    const threshold = declared.default;
    const publishedThreshold = published?.parameters[parameter]?.default ?? null;
    let beyond = 0;
    let between = 0;
    for (const v of values) {
      const now = isBeyond(v, threshold, entry.direction, inclusive);
      if (now) beyond += 1;
      if (publishedThreshold !== null && now !== isBeyond(v, publishedThreshold, entry.direction, inclusive)) between += 1;
    }
    out.push({
      fact: entry.fact,
      parameter,
      direction: entry.direction,
      unit: entry.unit,
      inclusive,
      threshold,
      publishedThreshold,
      count: values.length,
      withoutValue,
      beyond,
      betweenThresholds: publishedThreshold === null ? null : between,
      values: sampleEvenly(values),
      sampled: values.length > DISTRIBUTION_MAX_VALUES,
    });
  }
  return out;
}
