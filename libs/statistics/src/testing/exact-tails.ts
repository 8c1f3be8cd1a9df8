/**
 * Exact tails in rational arithmetic (BigInt), used only by the specs as the reference
 * the floating-point implementation is checked against. Slow, but with no rounding at
 * all until the final conversion.
 */

function binomialCoefficient(n: bigint, k: bigint): bigint {
  if (k < 0n || k > n) return 0n;
  const smaller = k < n - k ? k : n - k;
  let result = 1n;
  for (let i = 1n; i <= smaller; i++) result = (result * (n - smaller + i)) / i;
  return result;
}

/** numerator / denominator as the nearest double, even far below 1e-308 returning 0 only then. */
export function ratioToNumber(numerator: bigint, denominator: bigint): number {
  if (numerator === 0n) return 0;
  const shift = denominator.toString().length - numerator.toString().length + 30;
  const scaled =
    shift >= 0 ? (numerator * 10n ** BigInt(shift)) / denominator : numerator / (denominator * 10n ** BigInt(-shift));
  return Number.parseFloat(`${scaled}e${-shift}`);
}

/** Natural log of numerator / denominator, exact to about 1e-25 relative before rounding. */
export function logOfRatio(numerator: bigint, denominator: bigint): number {
  const shift = denominator.toString().length - numerator.toString().length + 30;
  const scaled =
    shift >= 0 ? (numerator * 10n ** BigInt(shift)) / denominator : numerator / (denominator * 10n ** BigInt(-shift));
  const digits = scaled.toString();
  const mantissa = Number.parseFloat(`0.${digits}`);
  return Math.log(mantissa) + (digits.length - shift) * Math.LN10;
}

/** P(X >= k) for X ~ Binomial(n, a/b), as an exact fraction. */
export function exactBinomialUpperTail(k: number, n: number, a: number, b: number): { numerator: bigint; denominator: bigint } {
  const N = BigInt(n);
  const A = BigInt(a);
  const B = BigInt(b);
  let numerator = 0n;
  for (let i = Math.max(k, 0); i <= n; i++) {
    const I = BigInt(i);
    numerator += binomialCoefficient(N, I) * A ** I * (B - A) ** (N - I);
  }
  return { numerator, denominator: B ** N };
}

/** P(X >= k) for X ~ Hypergeometric(population, successes, draws), as an exact fraction. */
export function exactHypergeometricUpperTail(
  k: number,
  population: number,
  successes: number,
  draws: number,
): { numerator: bigint; denominator: bigint } {
  let numerator = 0n;
  for (let x = Math.max(k, 0); x <= Math.min(draws, successes); x++) {
    numerator += binomialCoefficient(BigInt(successes), BigInt(x)) * binomialCoefficient(BigInt(population - successes), BigInt(draws - x));
  }
  return { numerator, denominator: binomialCoefficient(BigInt(population), BigInt(draws)) };
}
