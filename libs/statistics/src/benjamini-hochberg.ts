/**
 * Benjamini-Hochberg q-values. A rule tests every plate or officer at once; at a 1%
 * threshold, ten thousand innocent plates would give a hundred "significant" ones. The
 * q-value of a subject is the smallest false discovery rate at which it would still be
 * flagged, so "q <= alpha" flags a set in which at most a fraction alpha is expected to
 * be chance.
 *
 * q(i) = min over j with p(j) >= p(i) of min(1, m * p(j) / rank(j)). The result is in the
 * input's order and is monotone in p: a smaller p-value never gets a larger q-value.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  for (const p of pValues) {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`p-values must lie in [0, 1], got ${p}`);
  }
  const order = pValues.map((p, index) => ({ p, index })).sort((a, b) => a.p - b.p || a.index - b.index);
  const qValues = new Array<number>(m);
  let runningMinimum = 1;
  for (let rank = m; rank >= 1; rank--) {
    const entry = order[rank - 1] as { p: number; index: number };
    runningMinimum = Math.min(runningMinimum, (entry.p * m) / rank);
    // p * m / m can round one ulp below p; a q-value is never smaller than its p-value.
    qValues[entry.index] = Math.max(runningMinimum, entry.p);
  }
  return qValues;
}
