import { requireInteger, requireNonNegativeInteger, requireProbability } from './arguments.js';
import { sumOfDecayingTerms } from './decaying-series.js';
import { logBinomialProbability } from './saddle-point.js';

/**
 * ln P(X >= k) for X ~ Binomial(n, p).
 *
 * Above the mean the tail is summed upward from k, relative to P(X = k), so its relative
 * precision does not depend on how small it is (a plate with 38 of 40 detections voided
 * against a 4% city rate gives about 1e-50, and that is what comes out). At or below the
 * mean the tail is at least about one half, so 1 - P(X <= k - 1) loses nothing.
 */
export function logBinomialUpperTail(k: number, n: number, p: number): number {
  requireInteger('k', k);
  requireNonNegativeInteger('n', n);
  requireProbability('p', p);
  if (k <= 0) return 0;
  if (k > n || p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return 0;
  const q = 1 - p;
  if (k > n * p) {
    const odds = p / q;
    const relativeSum = sumOfDecayingTerms((step) => {
      const i = k + step;
      return ((n - i) / (i + 1)) * odds;
    }, n - k);
    return logBinomialProbability(k, n, p, q) + Math.log(relativeSum);
  }
  const top = k - 1;
  const inverseOdds = q / p;
  const relativeSum = sumOfDecayingTerms((step) => {
    const i = top - step;
    return (i / (n - i + 1)) * inverseOdds;
  }, top);
  const lowerTail = Math.exp(logBinomialProbability(top, n, p, q)) * relativeSum;
  return Math.log1p(-Math.min(lowerTail, 1));
}

/**
 * P(X >= k) for X ~ Binomial(n, p): the chance of k or more adverse outcomes in n trials
 * when each is adverse with probability p. Returns 0 only where the true value is below
 * the smallest double (about 5e-324); use logBinomialUpperTail to rank such cases.
 */
export function binomialUpperTail(k: number, n: number, p: number): number {
  return Math.exp(logBinomialUpperTail(k, n, p));
}
