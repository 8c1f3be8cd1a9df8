import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BacktestResult, RuleDefinition } from '@qadaga/contracts/api';
import { runBacktest } from './backtest-runner.js';

// The server is faked here: what is tested is how the editor follows a job, not the API.
const definition = { id: 'protected-plate' } as unknown as RuleDefinition;
const range = { from: '2025-01-01T00:00:00Z', to: '2026-06-01T00:00:00Z' };
const result = { subjects: 12, flags: [], diff: { added: [], removed: [], publishedVersion: 1 }, perWeek: [] } as unknown as BacktestResult;

function answer(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

afterEach(() => vi.unstubAllGlobals());

describe('runBacktest', () => {
  it('returns an answer that came at once', async () => {
    const fetch = vi.fn(async () => answer(200, result));
    vi.stubGlobal('fetch', fetch);
    const progress: number[] = [];
    expect(await runBacktest(definition, range, { onProgress: (p) => progress.push(p) })).toEqual(result);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(progress).toEqual([]);
  });

  it('follows a job to its result, reporting progress on the way', async () => {
    const replies = [
      answer(202, { id: 'backtest-abc', state: 'waiting', progress: 0 }),
      answer(200, { id: 'backtest-abc', state: 'active', progress: 50, result: null }),
      answer(200, { id: 'backtest-abc', state: 'completed', progress: 100, result }),
    ];
    const fetch = vi.fn(async (_url: string) => replies.shift() as Response);
    vi.stubGlobal('fetch', fetch);
    const progress: number[] = [];
    expect(await runBacktest(definition, range, { onProgress: (p) => progress.push(p), pollMs: 1 })).toEqual(result);
    expect(progress).toEqual([0, 50, 100]);
    expect(fetch.mock.calls.map((c) => c[0])).toEqual(['/v1/rules/backtest', '/v1/rules/backtests/backtest-abc', '/v1/rules/backtests/backtest-abc']);
  });

  it('fails with the reason the job failed with', async () => {
    const replies = [answer(202, { id: 'backtest-x', state: 'active', progress: 50 }), answer(200, { id: 'backtest-x', state: 'failed', progress: 50, failedReason: 'facts query cancelled' })];
    vi.stubGlobal('fetch', vi.fn(async () => replies.shift() as Response));
    await expect(runBacktest(definition, range, { pollMs: 1 })).rejects.toThrow('facts query cancelled');
  });

  it('stops following a job once the preview is abandoned', async () => {
    const fetch = vi.fn(async () => answer(202, { id: 'backtest-y', state: 'active', progress: 10 }));
    vi.stubGlobal('fetch', fetch);
    const controller = new AbortController();
    const running = runBacktest(definition, range, { signal: controller.signal, pollMs: 60_000 });
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(1));
    controller.abort(new Error('replaced by a newer preview'));
    await expect(running).rejects.toThrow('replaced by a newer preview');
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});
