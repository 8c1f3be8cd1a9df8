import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { RawItem } from '@qadaga/db';

export class NdjsonLimitError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/**
 * Parses an NDJSON body line by line as it arrives, so no single huge JSON text is ever
 * held or parsed at once. Limits are checked while reading: the request fails before
 * anything is written if it is too large or has too many events.
 */
export async function readNdjson(stream: Readable, limits: { maxBytes: number; maxEvents: number; maxLineBytes: number }): Promise<RawItem[]> {
  let bytes = 0;
  stream.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > limits.maxBytes) stream.destroy(new NdjsonLimitError(`body exceeds ${limits.maxBytes} bytes`, '(body)'));
  });
  const items: RawItem[] = [];
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let index = 0;
  for await (const line of lines) {
    if (line.trim() === '') continue;
    if (items.length >= limits.maxEvents) throw new NdjsonLimitError(`more than ${limits.maxEvents} events in one request`, '(body)');
    if (Buffer.byteLength(line) > limits.maxLineBytes) {
      items.push({ index, parseError: `line ${index + 1} exceeds ${limits.maxLineBytes} bytes` });
    } else {
      try {
        items.push({ index, value: JSON.parse(line) as unknown });
      } catch (error) {
        items.push({ index, parseError: `line ${index + 1} is not valid JSON: ${(error as Error).message}` });
      }
    }
    index += 1;
  }
  return items;
}
