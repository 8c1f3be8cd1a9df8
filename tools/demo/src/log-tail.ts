import type { Log } from './service.js';

/**
 * Forwards a child's output to `log` line by line under `prefix`, and remembers the last
 * lines so a failed start can say why without the user digging for log files.
 */
export class LogTail {
  private readonly lines: string[] = [];

  constructor(
    private readonly prefix: string,
    private readonly log: Log,
    private readonly keep = 20,
  ) {}

  readonly write = (chunk: string | Buffer): void => {
    for (const line of chunk.toString().split(/\r?\n/u)) {
      if (!line.trim()) continue;
      this.lines.push(line);
      if (this.lines.length > this.keep) this.lines.shift();
      this.log(`${this.prefix} ${line}`);
    }
  };

  text(): string {
    return this.lines.length ? this.lines.join('\n') : '(no output)';
  }
}
