import { Writable } from 'node:stream';
import yauzl from 'yauzl';
import yazl from 'yazl';

/** Archive entries in order, for tests that take a bundle apart and put it back together. */
export interface ZipEntryBytes {
  name: string;
  data: Buffer;
}

export async function readZipEntries(zip: Buffer): Promise<ZipEntryBytes[]> {
  const file = await yauzl.fromBufferPromise(zip, { lazyEntries: true });
  const out: ZipEntryBytes[] = [];
  for await (const entry of file.eachEntry()) {
    const stream = await file.openReadStreamPromise(entry);
    const chunks: Buffer[] = [];
    for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
    out.push({ name: entry.fileName, data: Buffer.concat(chunks) });
  }
  file.close();
  return out;
}

export async function writeZipEntries(entries: readonly ZipEntryBytes[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const e of entries) zip.addBuffer(e.data, e.name, { mtime: new Date(2026, 0, 1), compress: true });
  zip.end();
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', resolve);
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
  });
  return Buffer.concat(chunks);
}

/** A writable that keeps what it is given, for writing a bundle into memory in tests. */
export function memorySink(): { stream: Writable; bytes(): Buffer } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk);
      cb();
    },
  });
  return { stream, bytes: () => Buffer.concat(chunks) };
}
