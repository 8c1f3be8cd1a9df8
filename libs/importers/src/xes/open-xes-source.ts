import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';

export interface XesByteSource {
  /** The raw bytes of the XES document, never buffered whole. */
  stream: Readable;
  /** Name for error messages: the file, or "archive.zip!entry.xes". */
  name: string;
  /** Bytes the stream will deliver: the file's size, or the entry's uncompressed size. */
  size: number;
}

/**
 * macOS archivers add "__MACOSX/._name.xes" resource forks next to the real file
 * (the RTFM zip has one); they end in .xes but are not XML.
 */
function isXesEntry(fileName: string): boolean {
  if (fileName.endsWith('/')) return false;
  if (fileName.startsWith('__MACOSX/')) return false;
  if (basename(fileName).startsWith('._')) return false;
  return fileName.toLowerCase().endsWith('.xes');
}

async function openFirstXesEntry(zipPath: string): Promise<XesByteSource> {
  const zipfile = await yauzl.openPromise(zipPath, { autoClose: false });
  try {
    for await (const entry of zipfile.eachEntry()) {
      if (!isXesEntry(entry.fileName)) continue;
      const stream = await zipfile.openReadStreamPromise(entry);
      return { stream, name: `${zipPath}!${entry.fileName}`, size: entry.uncompressedSize };
    }
    throw new Error(`${zipPath}: the archive holds no .xes entry`);
  } finally {
    // Stops reading the directory; the fd stays open until the entry stream ends or is destroyed.
    zipfile.close();
  }
}

/** Opens a plain .xes file, or the first .xes entry of a .zip archive, as a byte stream. */
export async function openXesSource(path: string): Promise<XesByteSource> {
  if (path.toLowerCase().endsWith('.zip')) return openFirstXesEntry(path);
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  // Surface "file not found" here rather than on the first read, so callers get it at open time.
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', reject);
  });
  return { stream, name: path, size: statSync(path).size };
}
