import { ruleEndpoints, type BacktestQueued, type BacktestView, type RuleDefinition } from '@qadaga/contracts/api';
import { ApiError } from '../../api/client.js';
import { call, fetchBytes } from '../../api/call.js';

/** A backtest the server runs as a worker job (ranges beyond its synchronous limit): as queued (202), then as followed. */
type BacktestJob = BacktestQueued & { result?: BacktestView | null; failedReason?: string | null };

export interface BacktestRunOptions {
  signal?: AbortSignal;
  /** Percent done of a job; not called for an answer that came at once. */
  onProgress?: (percent: number) => void;
  /** Between two looks at a job. */
  pollMs?: number;
}

/**
 * Asks for a backtest. A short range is answered at once (200); a longer one comes back
 * as a job (202), which is followed until it completes or fails, so the editor shows
 * progress instead of a result it cannot read. Stops when the signal aborts (the user
 * moved a threshold and a newer preview replaced this one).
 */
export async function runBacktest(
  definition: RuleDefinition,
  range: { from: string; to: string },
  options: BacktestRunOptions = {},
): Promise<BacktestView> {
  // The status tells the two answers apart: 200 is the result, 202 a job to follow.
  const response = await fetchBytes(ruleEndpoints.backtest, { body: { definition, ...range } });
  if (response.status !== 202) return (await response.json()) as BacktestView;
  let job = (await response.json()) as BacktestJob;
  for (;;) {
    options.onProgress?.(job.progress);
    if (job.state === 'completed' && job.result) return job.result;
    if (job.state === 'failed') throw new ApiError(500, job.failedReason ?? 'the backtest job failed', []);
    await pause(options.pollMs ?? 1_000, options.signal);
    job = await call(ruleEndpoints.backtestJob, { params: { id: job.id } });
  }
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason as Error);
      },
      { once: true },
    );
  });
}
