import { requireInteger, requireNonNegativeInteger } from './arguments.js';
import { sumOfDecayingTerms } from './decaying-series.js';
import { logBinomialProbability } from './saddle-point.js';

/**
 * ln P(X = x) for X ~ Hypergeometric(population, successes, draws), written as a ratio of
 * three binomial probabilities with p = draws / population (Loader's identity), so that
 * each factor keeps its saddle-point precision instead of subtracting log-factorials.
 */
export function logHypergeometricProbability(x: number, population: number, successes: number, draws: number): number {
  const failures = population - successes;
  if (x < 0 || x > successes || draws - x < 0 || draws - x > failures) return Number.NEGATIVE_INFINITY;
  if (population === 0) return 0;
  const p = draws / population;
  const q = (population - draws) / population;
  return (
    logBinomialProbability(x, successes, p, q) +
    logBinomialProbability(draws - x, failures, p, q) -
    logBinomialProbability(draws, population, p, q)
  );
}

/**
 * ln P(X >= k) for X ~ Hypergeometric: `draws` items taken without replacement from
 * `population` items of which `successes` are marked. For favouritism this is the chance
 * that random queue assignment alone puts k or more of one plate's detections among the
 * officer's cancellations. Same strategy as the binomial tail: sum upward from k above
 * the mean, complement of the lower tail otherwise.
 */
export function logHypergeometricUpperTail(k: number, population: number, successes: number, draws: number): number {
  requireInteger('k', k);
  requireNonNegativeInteger('population', population);
  requireNonNegativeInteger('successes', successes);
  requireNonNegativeInteger('draws', draws);
  if (successes > population) throw new RangeError(`successes (${successes}) exceed population (${population})`);
  if (draws > population) throw new RangeError(`draws (${draws}) exceed population (${population})`);
  const failures = population - successes;
  const lowest = Math.max(0, draws - failures);
  const highest = Math.min(draws, successes);
  if (k <= lowest) return 0;
  if (k > highest) return Number.NEGATIVE_INFINITY;
  const mean = (draws * successes) / population;
  if (k > mean) {
    const relativeSum = sumOfDecayingTerms((step) => {
      const x = k + step;
      return ((successes - x) * (draws - x)) / ((x + 1) * (failures - draws + x + 1));
    }, highest - k);
    return logHypergeometricProbability(k, population, successes, draws) + Math.log(relativeSum);
  }
  const top = k - 1;
  const relativeSum = sumOfDecayingTerms((step) => {
    const x = top - step;
    return (x * (failures - draws + x)) / ((successes - x + 1) * (draws - x + 1));
  }, top - lowest);
  const lowerTail = Math.exp(logHypergeometricProbability(top, population, successes, draws)) * relativeSum;
  return Math.log1p(-Math.min(lowerTail, 1));
}

/** P(X >= k) for X ~ Hypergeometric(population, successes, draws). */
export function hypergeometricUpperTail(k: number, population: number, successes: number, draws: number): number {
  return Math.exp(logHypergeometricUpperTail(k, population, successes, draws));
}
