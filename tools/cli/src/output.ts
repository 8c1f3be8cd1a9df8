/**
 * Commands talk to people on stderr (progress, tables) and to programs on stdout: with
 * --json the last line of stdout is one JSON object with the command's summary.
 */
export interface Output {
  json: boolean;
  info(line: string): void;
  progress(line: string): void;
  result(summary: object, human: string): void;
}

export function createOutput(json: boolean): Output {
  const isTty = process.stderr.isTTY === true;
  return {
    json,
    info: (line) => process.stderr.write(`${line}\n`),
    progress: (line) => {
      if (isTty) process.stderr.write(`\r${line}\u001b[K`);
      else process.stderr.write(`${line}\n`);
    },
    result: (summary, human) => {
      if (isTty) process.stderr.write('\n');
      if (json) process.stdout.write(`${JSON.stringify(summary)}\n`);
      else process.stdout.write(`${human}\n`);
    },
  };
}
