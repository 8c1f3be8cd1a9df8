import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import { PassThrough, Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import type { ManifestFile } from './manifest.js';

const FLUSH_BYTES = 64 * 1024;

/**
 * A ZIP written entry by entry to a stream, never held whole in memory. Entries get
 * a fixed time, mode and order, so the same contents give the same bytes: the DOS time
 * fields alone carry the time (no extended timestamp, which would depend on the time
 * zone of the machine), and they hold the UTC wall time of `mtime`.
 */
export class ZipSink {
  private readonly zip = new yazl.ZipFile();
  private readonly done: Promise<void>;
  private failure: unknown = null;
  private readonly zipHash = createHash('sha256');
  private zipSize = 0;
  private readonly entryOptions: { mtime: Date; mode: number; compress: boolean; forceDosTimestamp: boolean; compressionLevel: number };

  constructor(out: Writable, mtime: string) {
    const t = new Date(mtime);
    // yazl reads local-time fields: build the local Date whose fields are the UTC ones.
    const wall = new Date(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate(), t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds());
    // Level 3 deflates these text files within 3% of level 6 in about two thirds of the time.
    this.entryOptions = { mtime: wall, mode: 0o100644, compress: true, forceDosTimestamp: true, compressionLevel: 3 };
    const tap = new Transform({
      transform: (chunk: Buffer, _enc, cb) => {
        this.zipHash.update(chunk);
        this.zipSize += chunk.length;
        cb(null, chunk);
      },
    });
    this.done = pipeline(this.zip.outputStream as Readable, tap, out);
    this.done.catch((error: unknown) => {
      this.failure = error;
    });
  }

  entry(name: string): EntryWriter {
    const stream = new PassThrough({ highWaterMark: FLUSH_BYTES * 2 });
    this.zip.addReadStream(stream, name, this.entryOptions);
    return new EntryWriter(name, stream, this.done);
  }

  /** An entry whose bytes were staged in a file (their hash and size already known). */
  fileEntry(name: string, path: string): void {
    this.zip.addReadStream(createReadStream(path), name, this.entryOptions);
  }

  async finish(): Promise<{ sha256: string; size: number }> {
    this.zip.end();
    await this.done;
    return { sha256: this.zipHash.digest('hex'), size: this.zipSize };
  }

  /** Stops the archive after an error so the output is closed rather than left hanging. */
  async abort(error: unknown): Promise<void> {
    (this.zip.outputStream as Readable).destroy(error instanceof Error ? error : new Error(String(error)));
    await this.done.catch(() => undefined);
  }

  get error(): unknown {
    return this.failure;
  }
}

/**
 * Buffers small writes into large chunks, hashes them, and honours back-pressure: the
 * common part of a ZIP entry being streamed and of a file staged beside the archive.
 */
abstract class HashingTextWriter {
  private readonly hash: Hash = createHash('sha256');
  private size = 0;
  private pending: string[] = [];
  private pendingBytes = 0;

  constructor(
    readonly name: string,
    protected readonly stream: Writable,
  ) {}

  /** Resolves once the stream takes writes again. */
  protected abstract drain(): Promise<void>;

  async write(text: string): Promise<void> {
    this.pending.push(text);
    this.pendingBytes += text.length;
    if (this.pendingBytes >= FLUSH_BYTES) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const buf = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingBytes = 0;
    this.hash.update(buf);
    this.size += buf.length;
    if (!this.stream.write(buf)) await this.drain();
  }

  /** Flushes and ends the stream; answers what the manifest records of the content. */
  protected async finish(): Promise<ManifestFile> {
    await this.flush();
    this.stream.end();
    return { name: this.name, sha256: this.hash.digest('hex'), size: this.size };
  }
}

/** One entry of the archive being written. */
export class EntryWriter extends HashingTextWriter {
  constructor(
    name: string,
    stream: Writable,
    private readonly done: Promise<void>,
  ) {
    super(name, stream);
  }

  protected drain(): Promise<void> {
    return drained(this.stream, this.done);
  }

  end(): Promise<ManifestFile> {
    return this.finish();
  }
}

/** Hashes and stages text in a file, for an entry written after the one being streamed. */
export class StagedFile extends HashingTextWriter {
  protected async drain(): Promise<void> {
    await once(this.stream, 'drain');
  }

  async end(): Promise<ManifestFile> {
    // Listening before the end, so a fast close cannot be missed.
    const closed = once(this.stream, 'close');
    const file = await this.finish();
    await closed;
    return file;
  }
}

async function drained(stream: Writable, done: Promise<void>): Promise<void> {
  await Promise.race([
    once(stream, 'drain'),
    done.then(() => {
      throw new Error('the bundle output closed before the bundle was complete');
    }),
  ]);
}
