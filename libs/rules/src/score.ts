import { firedDisplay, type DisplayReading } from './display.js';
import type { RuleDefinition } from './rule-definition.js';

/**
 * The number flags of one rule are ranked by. Two kinds:
 *
 * - `{ fact, transform: 'neglog10' }`, for rules that judge a p-value (corrected for testing
 *   many subjects): -log10 p, "how many zeros", so 1e-20 scores 20; a p-value that
 *   underflowed to 0 scores as the smallest double would (about 323).
 * - `{ from: 'display' }`: the sum, over the display entries that fired, of how far each
 *   value is beyond its threshold (strengthOf in display.ts: 1 at the threshold, 1 +
 *   distance / threshold beyond it). Whichever way a rule fired counts, several ways count
 *   together, and every fired flag scores at least 1.
 *
 * A score is always a finite number, because it is stored and sorted: a missing fact
 * scores 0 and an infinite value the largest double, keeping its order.
 */
export function pValueScore(fact: string, facts: Readonly<Record<string, unknown>>): number {
  const raw = Object.hasOwn(facts, fact) ? facts[fact] : undefined;
  if (typeof raw !== 'number' || Number.isNaN(raw)) return 0;
  const transformed = -Math.log10(Math.max(raw, Number.MIN_VALUE));
  if (transformed === Number.POSITIVE_INFINITY) return Number.MAX_VALUE;
  // -log10(1) is -0, which would print as "-0" in a JSON export.
  return transformed === 0 ? 0 : transformed;
}

/** The score of the display entries that fired (see above). */
export function displayScore(readings: readonly Pick<DisplayReading, 'strength'>[]): number {
  const sum = readings.reduce((total, reading) => total + reading.strength, 0);
  return Number.isFinite(sum) ? sum : Number.MAX_VALUE;
}

export function scoreOf(
  rule: Pick<RuleDefinition, 'score'> & Partial<RuleDefinition>,
  facts: Readonly<Record<string, unknown>>,
  parameters: Readonly<Record<string, number>> = {},
  fired?: readonly Pick<DisplayReading, 'strength'>[],
): number {
  const { score } = rule;
  if ('fact' in score) return pValueScore(score.fact, facts);
  return displayScore(fired ?? firedDisplay(rule as RuleDefinition, facts, parameters));
}
