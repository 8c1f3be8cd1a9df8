import { StringDecoder } from 'node:string_decoder';
import type { XesLogHeader, XesTrace } from './xes-model.js';
import { XesDocumentBuilder } from './xes-document-builder.js';
import { openXesSource } from './open-xes-source.js';
import type { ReadProgress } from '../shared/read-progress.js';

export interface ReadXesOptions {
  /** Called once with the log header (extensions, globals, classifiers), before the first trace. */
  onHeader?: (header: XesLogHeader) => void;
  /** Updated as the log is read, for a progress bar. */
  progress?: ReadProgress;
}

/**
 * Streams the traces of an XES log, one at a time and in document order, from a .xes
 * file or the first .xes entry of a .zip. The next chunk of the file is read only when
 * the caller asks for a trace that is not parsed yet, so a slow consumer holds the
 * reader back instead of letting parsed traces pile up in memory.
 */
export async function* readXesTraces(path: string, options: ReadXesOptions = {}): AsyncGenerator<XesTrace> {
  const source = await openXesSource(path);
  const builder = new XesDocumentBuilder(source.name);
  // Decodes UTF-8 across chunk boundaries: a multi-byte character may be split between reads.
  const decoder = new StringDecoder('utf8');
  let headerSent = false;
  let bytesRead = 0;
  options.progress?.measure(() => bytesRead, source.size);
  const sendHeaderOnce = (): void => {
    const header = builder.header;
    if (!headerSent && header !== undefined) {
      headerSent = true;
      options.onHeader?.(header);
    }
  };
  try {
    for await (const chunk of source.stream) {
      bytesRead += (chunk as Buffer).length;
      builder.write(decoder.write(chunk as Buffer));
      sendHeaderOnce();
      yield* builder.takeTraces();
    }
    builder.write(decoder.end());
    builder.end();
    sendHeaderOnce();
    yield* builder.takeTraces();
  } finally {
    // Closes the file (or the zip's fd) when the caller stops early or parsing fails.
    source.stream.destroy();
  }
}
