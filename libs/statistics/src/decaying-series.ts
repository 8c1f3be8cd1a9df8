/**
 * Tails of the binomial and hypergeometric distributions are sums of point probabilities
 * whose successive ratios shrink (both distributions are log-concave). Summing the terms
 * relative to the first one, t0 = 1 and t(i+1) = t(i) * ratio(i), keeps every term in
 * range however small the first probability is; the caller adds the first term's log.
 *
 * Because the ratios never grow, once a ratio r < 1 is reached everything still unsummed
 * is at most term * r / (1 - r), so the loop stops as soon as that bound cannot change the
 * sum in double precision, or when the support ends.
 */
export function sumOfDecayingTerms(ratioAfter: (step: number) => number, steps: number): number {
  const negligible = 2 ** -56;
  let sum = 1;
  let term = 1;
  for (let step = 0; step < steps; step++) {
    const ratio = ratioAfter(step);
    term *= ratio;
    sum += term;
    if (term === 0) break;
    if (ratio < 1 && (term * ratio) / (1 - ratio) <= sum * negligible) break;
  }
  return sum;
}
