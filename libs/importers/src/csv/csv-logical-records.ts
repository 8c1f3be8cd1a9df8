import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { CsvDialectOptions } from './csv-mapping-schema.js';
import type { ReadProgress } from '../shared/read-progress.js';

export interface LogicalRecord {
  /** 1-based line where the record starts. */
  line: number;
  /** The record's text; several physical lines when a quoted cell holds line breaks. */
  text: string;
}

function countOf(char: string, text: string): number {
  let n = 0;
  for (let i = text.indexOf(char); i >= 0; i = text.indexOf(char, i + 1)) n += 1;
  return n;
}

/**
 * Splits a CSV file into records before any cell is parsed. Physical lines are joined
 * while a quote is open (odd number of quote characters so far, as an escaped "" counts
 * two), so quoted line breaks stay inside their cell. Doing this split first means a
 * row with a stray quote spoils only itself: a single streaming parser would read on,
 * looking for the closing quote, and swallow every row after it.
 */
export async function* readLogicalRecords(path: string, options: CsvDialectOptions, progress?: ReadProgress): AsyncGenerator<LogicalRecord> {
  const stream = createReadStream(path, { encoding: options.encoding });
  // Bytes of the lines handed on, not of the stream read ahead: the stream runs a buffer ahead of the rows.
  let consumed = 0;
  if (progress !== undefined) progress.measure(() => consumed, statSync(path).size);
  const counting = progress !== undefined;
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let lineNumber = 0;
  let pending: LogicalRecord | undefined;
  let openQuotes = 0;
  try {
    for await (const rawLine of lines) {
      lineNumber += 1;
      if (counting) consumed += Buffer.byteLength(rawLine, options.encoding) + 1;
      const line = lineNumber === 1 ? rawLine.replace(/^\uFEFF/u, '') : rawLine;
      if (pending === undefined) {
        if (line.trim() === '') continue;
        if (options.comment !== undefined && line.startsWith(options.comment)) continue;
        pending = { line: lineNumber, text: line };
      } else {
        pending.text += `\n${line}`;
      }
      openQuotes += countOf(options.quote, line);
      if (openQuotes % 2 === 0) {
        yield pending;
        pending = undefined;
        openQuotes = 0;
      }
    }
    // A quote never closed: whatever was gathered is still handed on, to be rejected as one record.
    if (pending !== undefined) yield pending;
  } finally {
    lines.close();
    stream.destroy();
  }
}
