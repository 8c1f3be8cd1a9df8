import { vi } from 'vitest';
import { main } from '../main.js';

export interface CliRun {
  code: number;
  /** The last line of stdout, parsed: the command's --json summary. */
  json: Record<string, unknown>;
  /** What the command said to people (warnings, progress). */
  stderr: string;
}

/** Runs `qadaga ...args --json` in this process, so a spec reads its exit code, summary and warnings. */
export async function runQadaga(...args: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err.push(String(chunk));
    return true;
  });
  process.exitCode = undefined;
  try {
    const code = await main(['node', 'qadaga', ...args, '--json']);
    const last = out.join('').trim().split('\n').at(-1) ?? '{}';
    return { code, json: JSON.parse(last === '' ? '{}' : last) as Record<string, unknown>, stderr: err.join('') };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    process.exitCode = undefined;
  }
}
