/**
 * Robust location and scale for peer comparisons. One officer who cancels everything
 * would drag a mean and a standard deviation towards himself and hide; the median and
 * the median absolute deviation ignore up to half the group being extreme.
 */

/** 0.6745 is the 75th percentile of the standard normal, so the z below reads like an ordinary z for normal data. */
export const ROBUST_Z_CONSTANT = 0.6745;

function requireFiniteValues(values: readonly number[]): void {
  if (values.length === 0) throw new RangeError('needs at least one value');
  for (const value of values) {
    if (!Number.isFinite(value)) throw new RangeError(`values must be finite numbers, got ${value}`);
  }
}

/** The middle value, or the mean of the two middle values for an even count. */
export function median(values: readonly number[]): number {
  requireFiniteValues(values);
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const upper = sorted[middle] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] as number) + upper) / 2;
}

/**
 * The raw median absolute deviation, median(|x - median(x)|), without the 1.4826 factor:
 * robustZ applies the matching 0.6745 itself, as in Iglewicz and Hoaglin's modified z.
 */
export function mad(values: readonly number[]): number {
  const centre = median(values);
  return median(values.map((value) => Math.abs(value - centre)));
}

/**
 * The modified z-score 0.6745 * (x - median) / MAD.
 *
 * When MAD is 0 more than half of the peers share exactly one value, and the spread is
 * unknown rather than small. The rule here: x equal to that value scores 0, anything
 * else scores +Infinity or -Infinity ("infinitely many MADs away"). That keeps the
 * ordering right, but one stray action against an all-zero peer group then looks
 * extreme, which is why every rule pairs a robust z with a minimum count and, where it
 * can, a p-value. Callers that prefer a finite score pass `madFloor`, the smallest scale
 * they consider meaningful (for shares, for example, one action in the median volume).
 */
export function robustZ(x: number, centre: number, scale: number, options: { madFloor?: number } = {}): number {
  if (!Number.isFinite(x) || !Number.isFinite(centre)) throw new RangeError('x and the median must be finite');
  if (!(scale >= 0)) throw new RangeError(`MAD must be a non-negative number, got ${scale}`);
  const floor = options.madFloor ?? 0;
  if (!(floor >= 0)) throw new RangeError(`madFloor must be non-negative, got ${floor}`);
  const effectiveScale = Math.max(scale, floor);
  if (effectiveScale === 0) {
    if (x === centre) return 0;
    return x > centre ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }
  return (ROBUST_Z_CONSTANT * (x - centre)) / effectiveScale;
}
