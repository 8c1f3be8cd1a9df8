import type { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { utf8Problem, withoutByteOrderMark, type RawItem } from '@qadaga/ledger';

/** The request is larger than the limits allow (413, nothing written). */
export class NdjsonLimitError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** The request is not UTF-8 text (400, nothing written). */
export class NdjsonTextError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Splits an NDJSON body into lines as it arrives, so no single huge JSON text is ever
 * held or parsed at once. Lines are cut from the bytes (on \n, a \r before it dropped)
 * and each is checked to be UTF-8 before it is decoded: a decoder that replaces bad bytes
 * would store other text than the source sent. Limits are checked while reading: the
 * request fails before anything is written if it is too large or has too many events,
 * and a line longer than its limit is not even kept.
 *
 * Lines are handed on as text, parsed where they are validated (an ingest thread), after
 * their nesting is bounded: a parsed value crossing threads is cloned recursively, which
 * a line of thousands of brackets overflowed.
 */
export async function readNdjson(stream: Readable, limits: { maxBytes: number; maxEvents: number; maxLineBytes: number }): Promise<RawItem[]> {
  const items: RawItem[] = [];
  let index = 0;
  let bytes = 0;
  // The start of a line that continues in a later chunk; dropped once it is too long.
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let tooLong = false;
  // A line too long to keep is still read to its end as UTF-8, so bytes that are not text
  // are refused wherever they are; a streaming decoder keeps only a character's worth.
  let longLine: TextDecoder | undefined;
  const checkLong = (piece: Buffer, last: boolean): void => {
    try {
      longLine?.decode(piece, { stream: !last });
    } catch {
      throw new NdjsonTextError(`line ${index + 1} is not valid UTF-8`, '(body)');
    }
  };

  const endLine = (last: Buffer): void => {
    const streamed = tooLong;
    if (streamed) checkLong(last, true);
    let line = streamed || pending.length === 0 ? last : Buffer.concat([...pending, last]);
    pending = [];
    pendingBytes = 0;
    tooLong = false;
    longLine = undefined;
    if (!streamed) {
      if (line.length > 0 && line[line.length - 1] === CARRIAGE_RETURN) line = line.subarray(0, line.length - 1);
      const problem = utf8Problem(line);
      if (problem !== undefined) throw new NdjsonTextError(`line ${index + 1} ${problem}`, '(body)');
    }
    const long = streamed || line.length > limits.maxLineBytes;
    let text: string | undefined;
    if (!long) {
      text = line.toString('utf8');
      if (index === 0) text = withoutByteOrderMark(text);
      if (text.trim() === '') return;
    }
    if (items.length >= limits.maxEvents) throw new NdjsonLimitError(`more than ${limits.maxEvents} events in one request`, '(body)');
    if (text === undefined) items.push({ index, parseError: `line ${index + 1} exceeds ${limits.maxLineBytes} bytes` });
    else items.push({ index, json: text });
    index += 1;
  };

  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > limits.maxBytes) throw new NdjsonLimitError(`body exceeds ${limits.maxBytes} bytes`, '(body)');
      let start = 0;
      for (;;) {
        const end = chunk.indexOf(NEWLINE, start);
        if (end === -1) {
          const rest = chunk.subarray(start);
          pendingBytes += rest.length;
          // One byte of slack for a \r that the next chunk's \n may follow.
          if (tooLong) checkLong(rest, false);
          else if (pendingBytes > limits.maxLineBytes + 1) {
            tooLong = true;
            longLine = new TextDecoder('utf-8', { fatal: true });
            for (const piece of [...pending, rest]) checkLong(piece, false);
            pending = [];
          } else if (rest.length > 0) pending.push(rest);
          break;
        }
        endLine(chunk.subarray(start, end));
        start = end + 1;
      }
    }
    if (pendingBytes > 0 || tooLong) endLine(Buffer.alloc(0));
  } catch (error) {
    // Stop reading a body that is refused whole.
    stream.destroy();
    throw error;
  }
  return items;
}
