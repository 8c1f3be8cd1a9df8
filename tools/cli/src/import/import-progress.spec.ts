import { PassThrough } from 'node:stream';
import { ReadProgress } from '@qadaga/importers';
import { describe, expect, it, vi } from 'vitest';
import { createImportProgress } from './import-progress.js';

/** A stream standing in for stderr: a log file when isTTY is false, a terminal when true. */
function stderrLike(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = new PassThrough() as unknown as NodeJS.WriteStream;
  stream.isTTY = isTTY;
  stream.columns = 120;
  stream.write = ((chunk: string) => {
    chunks.push(String(chunk));
    return true;
  }) as NodeJS.WriteStream['write'];
  return { stream, text: () => chunks.join('') };
}

describe('import progress', () => {
  it('writes plain lines to a log with records, rate, share of the file and time left', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      const read = new ReadProgress();
      let bytes = 0;
      read.measure(() => bytes, 1_000);
      const { stream, text } = stderrLike(false);
      const progress = createImportProgress(read, stream);
      vi.advanceTimersByTime(1_000);
      bytes = 100;
      progress.update(500);
      expect(text()).toBe(''); // not yet five seconds: a log is not flooded
      vi.advanceTimersByTime(9_000);
      bytes = 250;
      progress.update(5_000);
      // 10 s for a quarter of the file: about 30 s left, at 500 records a second.
      expect(text()).toBe('  5,000 records, 500/s, 25% of the file, about 30 s left\n');
      expect(text()).not.toContain('\r');
    } finally {
      vi.useRealTimers();
    }
  });

  it('draws one bar that redraws itself on a terminal', () => {
    const read = new ReadProgress();
    read.measure(() => 500, 1_000);
    const { stream, text } = stderrLike(true);
    const progress = createImportProgress(read, stream);
    progress.update(1_234);
    progress.stop();
    expect(text()).toMatch(/50% \| 1,234 records \| [\d,]+\/s \| .+ left/u);
  });
});
