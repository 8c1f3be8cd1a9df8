/**
 * Exponentially weighted moving average and its control limit, for "a burst of
 * cancellations in one unit on one day": each day's count is compared with a baseline
 * that forgets old days at rate lambda, and a day is out of control when the statistic
 * passes mean + L * sigma * sqrt(lambda / (2 - lambda) * (1 - (1 - lambda)^(2t))).
 */

function requireSmoothing(lambda: number): void {
  if (!(lambda > 0 && lambda <= 1)) throw new RangeError(`lambda must be in (0, 1], got ${lambda}`);
}

/**
 * z(t) = lambda * x(t) + (1 - lambda) * z(t - 1), with z(0) = `start` (the in-control
 * mean). Without `start` the first observation is used, which is only sensible when
 * the series is known to begin in control.
 */
export function ewma(values: readonly number[], lambda: number, start?: number): number[] {
  requireSmoothing(lambda);
  const result: number[] = [];
  let previous = start ?? values[0] ?? 0;
  for (const value of values) {
    if (!Number.isFinite(value)) throw new RangeError(`values must be finite, got ${value}`);
    // Same as lambda * x + (1 - lambda) * z, written so a constant series stays exactly constant.
    previous += lambda * (value - previous);
    result.push(previous);
  }
  return result;
}

export interface EwmaControlLimitInput {
  /** In-control mean of the daily counts. */
  mean: number;
  /** In-control standard deviation of one day's count (for a MAD, pass 1.4826 * MAD). */
  sigma: number;
  lambda: number;
  /** Width in sigmas; 3 is the usual choice, with lambda around 0.2. */
  width: number;
  /** Days since the baseline started; omitted, the steady-state (widest) limit is returned. */
  step?: number;
}

/** The upper control limit of the EWMA statistic at a given step. */
export function ewmaUpperControlLimit(input: EwmaControlLimitInput): number {
  const { mean, sigma, lambda, width, step } = input;
  requireSmoothing(lambda);
  if (!(sigma >= 0) || !Number.isFinite(mean) || !(width >= 0)) {
    throw new RangeError('mean must be finite, sigma and width non-negative');
  }
  let factor = lambda / (2 - lambda);
  if (step !== undefined) {
    if (!Number.isSafeInteger(step) || step < 1) throw new RangeError(`step must be a positive integer, got ${step}`);
    factor *= 1 - (1 - lambda) ** (2 * step);
  }
  return mean + width * sigma * Math.sqrt(factor);
}
