import { ApiError, api, request } from '../../api/client.js';
import type { BacktestResult, RuleDefinition } from '../../api/types.js';

/** A backtest the server runs as a worker job (ranges beyond its synchronous limit). */
export interface BacktestJob {
  id: string;
  state: string;
  progress: number;
  result?: BacktestResult | null;
  failedReason?: string | null;
}

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
): Promise<BacktestResult> {
  const response = await request('/v1/rules/backtest', { body: { definition, ...range } });
  if (response.status !== 202) return (await response.json()) as BacktestResult;
  let job = (await response.json()) as BacktestJob;
  for (;;) {
    options.onProgress?.(job.progress);
    if (job.state === 'completed' && job.result) return job.result;
    if (job.state === 'failed') throw new ApiError(500, job.failedReason ?? 'the backtest job failed', []);
    await pause(options.pollMs ?? 1_000, options.signal);
    job = await api<BacktestJob>(`/v1/rules/backtests/${encodeURIComponent(job.id)}`);
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
