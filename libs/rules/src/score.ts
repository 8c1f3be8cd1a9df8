import type { RuleDefinition } from './rule-definition.js';

/**
 * The number flags are ranked by. neglog10 turns a p-value into "how many zeros", so
 * 1e-20 scores 20; a p-value that underflowed to 0 scores as the smallest double would
 * (about 323). A score is always a finite number, because it is stored and sorted: a
 * missing fact scores 0 and an infinite robust z the largest double, keeping its order.
 */
export function scoreOf(score: RuleDefinition['score'], facts: Readonly<Record<string, unknown>>): number {
  const raw = Object.hasOwn(facts, score.fact) ? facts[score.fact] : undefined;
  const value = typeof raw === 'boolean' ? Number(raw) : raw;
  if (typeof value !== 'number' || Number.isNaN(value)) return 0;
  const transformed = score.transform === 'neglog10' ? -Math.log10(Math.max(value, Number.MIN_VALUE)) : value;
  if (transformed === Number.POSITIVE_INFINITY) return Number.MAX_VALUE;
  if (transformed === Number.NEGATIVE_INFINITY) return -Number.MAX_VALUE;
  // -log10(1) is -0, which would print as "-0" in a JSON export.
  return transformed === 0 ? 0 : transformed;
}
