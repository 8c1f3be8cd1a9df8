/**
 * Point probabilities computed the way Catherine Loader's "Fast and accurate computation
 * of binomial probabilities" (2000) does: instead of subtracting huge log-factorials
 * (which loses about n * 1e-16 of precision in the log, so relative error grows with n),
 * the probability is written as a Stirling remainder plus a "deviance" term bd0 that is
 * computed without cancellation. The result keeps close to full relative precision both
 * for n in the billions and far into the tails. Everything here works in natural logs,
 * so probabilities far below the smallest double (1e-308) still have a value.
 */

const LN_2PI = Math.log(2 * Math.PI);
const LN_SQRT_2PI = 0.5 * LN_2PI;

/** ln(n!) - ln(sqrt(2 pi n) (n/e)^n) for n = 1..15, from exact factorials (15! < 2^53). */
const SMALL_STIRLING_ERRORS: readonly number[] = (() => {
  const table = [Number.NaN];
  let factorial = 1;
  for (let n = 1; n <= 15; n++) {
    factorial *= n;
    table.push(Math.log(factorial) - (n + 0.5) * Math.log(n) + n - LN_SQRT_2PI);
  }
  return table;
})();

/**
 * The error of Stirling's formula in logs, for a positive integer n. Above 15 the
 * asymptotic series is exact to double precision with the number of terms used here.
 */
export function stirlingError(n: number): number {
  if (n <= 15) {
    const tabled = SMALL_STIRLING_ERRORS[n];
    if (tabled === undefined) throw new RangeError(`stirlingError needs an integer in 1..15 or above 15, got ${n}`);
    return tabled;
  }
  const s0 = 1 / 12;
  const s1 = 1 / 360;
  const s2 = 1 / 1260;
  const s3 = 1 / 1680;
  const s4 = 1 / 1188;
  const nn = n * n;
  if (n > 500) return (s0 - s1 / nn) / n;
  if (n > 80) return (s0 - (s1 - s2 / nn) / nn) / n;
  if (n > 35) return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n;
  return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n;
}

/**
 * x ln(x / m) + m - x, the deviance of observing x where m was expected. When x is close
 * to m the direct formula subtracts nearly equal numbers, so a series in
 * v = (x - m) / (x + m) is summed instead; every term of it is positive.
 */
export function deviance(x: number, m: number): number {
  if (Math.abs(x - m) < 0.1 * (x + m)) {
    const v = (x - m) / (x + m);
    const v2 = v * v;
    let sum = (x - m) * v;
    let term = 2 * x * v;
    for (let j = 1; j < 1000; j++) {
      term *= v2;
      const next = sum + term / (2 * j + 1);
      if (next === sum) return next;
      sum = next;
    }
    return sum;
  }
  return x * Math.log(x / m) + m - x;
}

/**
 * ln P(X = x) for X ~ Binomial(n, p). q = 1 - p is passed in separately because callers
 * often know it exactly (a ratio of counts) while 1 - p computed here might not be.
 */
export function logBinomialProbability(x: number, n: number, p: number, q: number): number {
  if (x < 0 || x > n) return Number.NEGATIVE_INFINITY;
  if (p === 0) return x === 0 ? 0 : Number.NEGATIVE_INFINITY;
  if (q === 0) return x === n ? 0 : Number.NEGATIVE_INFINITY;
  if (x === 0) {
    if (n === 0) return 0;
    return p < 0.1 ? -deviance(n, n * q) - n * p : n * Math.log(q);
  }
  if (x === n) return q < 0.1 ? -deviance(n, n * p) - n * q : n * Math.log(p);
  const logCore =
    stirlingError(n) - stirlingError(x) - stirlingError(n - x) - deviance(x, n * p) - deviance(n - x, n * q);
  const logScale = LN_2PI + Math.log(x) + Math.log1p(-x / n);
  return logCore - 0.5 * logScale;
}
