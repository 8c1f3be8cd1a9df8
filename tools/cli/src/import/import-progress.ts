import cliProgress from 'cli-progress';
import type { ReadProgress } from '@qadaga/importers';

export interface ImportProgress {
  update(records: number): void;
  stop(): void;
}

const LOG_EVERY_MS = 5_000;

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  return s >= 3600 ? `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min` : s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

/**
 * On a terminal, one bar that redraws itself (cli-progress: a well-kept bar that handles
 * terminal width and redraw throttling); in a log, one plain line every few seconds, because
 * a redrawn line is unreadable in a file. Both show records read, their rate, the share of the
 * file read and the time left, estimated from the bytes read so far.
 */
export function createImportProgress(read: ReadProgress, stream: NodeJS.WriteStream = process.stderr): ImportProgress {
  const started = performance.now();
  const figures = (records: number) => {
    const seconds = (performance.now() - started) / 1000;
    const share = read.totalBytes === 0 ? 0 : read.bytesRead / read.totalBytes;
    const rate = seconds > 0 ? records / seconds : 0;
    const left = share > 0 ? (seconds * (1 - share)) / share : Number.POSITIVE_INFINITY;
    return { share, rate: Math.round(rate).toLocaleString('en-US'), records: records.toLocaleString('en-US'), eta: duration(left) };
  };
  if (stream.isTTY === true) {
    const bar = new cliProgress.SingleBar(
      { stream, format: '  [{bar}] {percentage}% | {records} records | {rate}/s | {eta_text} left', hideCursor: true, clearOnComplete: false, fps: 5 },
      cliProgress.Presets.shades_classic,
    );
    bar.start(100, 0, { records: '0', rate: '0', eta_text: '?' });
    return {
      update: (records) => {
        const f = figures(records);
        bar.update(Math.floor(f.share * 100), { records: f.records, rate: f.rate, eta_text: f.eta });
      },
      stop: () => bar.stop(),
    };
  }
  let last = performance.now();
  return {
    update: (records) => {
      const now = performance.now();
      if (now - last < LOG_EVERY_MS) return;
      last = now;
      const f = figures(records);
      stream.write(`  ${f.records} records, ${f.rate}/s, ${Math.floor(f.share * 100)}% of the file, about ${f.eta} left\n`);
    },
    stop: () => undefined,
  };
}
