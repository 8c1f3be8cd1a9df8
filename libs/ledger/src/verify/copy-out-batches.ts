import type { Connection, Submittable } from 'pg';

// Backend message types met while a COPY ... TO STDOUT runs.
const COPY_DATA = 0x64; // d
const COPY_DONE = 0x63; // c
const ERROR_RESPONSE = 0x45; // E

/** Batches waiting for the consumer before the socket is paused. */
const HIGH_WATER = 4;

type DataListener = (chunk: Buffer) => void;

/** Whole lines of COPY text: the first `length` bytes of a buffer no one else holds. */
export interface CopyBatch {
  buffer: ArrayBuffer;
  length: number;
}

function newBatch(bytes: number): Buffer {
  return Buffer.from(new ArrayBuffer(bytes));
}

/**
 * `COPY ... TO STDOUT` in text format, read straight off the connection's socket and
 * delivered as batches of whole lines, each in a buffer of its own that can be handed
 * to a worker thread without another copy.
 *
 * pg-copy-streams takes the socket over the same way but pays per row in JavaScript to
 * unwrap each CopyData message into a stream chunk, which the verifier then had to
 * join and copy again: at 10M rows that was a sizeable share of the main thread's time.
 * Here the only work per row is reading a five-byte message header and one copy of the
 * row's bytes into the current batch. Messages other than CopyData (the CopyOutResponse,
 * notices) are skipped; at CopyDone or an ErrorResponse the socket goes back to
 * node-postgres, which reports the outcome through the handle* methods below.
 */
export class CopyOutBatches implements Submittable {
  private connection: Connection | undefined;
  private pgListener: DataListener | undefined;
  private batch: Buffer;
  private used = 0;
  private readonly ready: CopyBatch[] = [];
  private readonly header = Buffer.alloc(5);
  private headerUsed = 0;
  private code = 0;
  private bodyLeft = 0;
  private paused = false;
  private discarding = false;
  private finished = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly text: string,
    private readonly batchBytes: number,
  ) {
    this.batch = newBatch(batchBytes + (batchBytes >> 2));
  }

  submit(connection: Connection): void {
    this.connection = connection;
    const listeners = connection.stream.listeners('data') as DataListener[];
    if (listeners.length !== 1) throw new Error(`expected node-postgres's one data listener on the socket, found ${listeners.length}`);
    this.pgListener = listeners[0];
    connection.stream.removeListener('data', this.pgListener as DataListener);
    connection.stream.on('data', this.onData);
    connection.query(this.text);
  }

  /**
   * The batches in stream order; throws what PostgreSQL reported if the COPY failed. A
   * consumer that stops early leaves the rest of the COPY to be read and dropped, so the
   * connection is usable again (for a ROLLBACK) once it has run out.
   */
  async *batches(): AsyncGenerator<CopyBatch> {
    try {
      for (;;) {
        const next = this.ready.shift();
        if (next !== undefined) {
          if (this.paused && this.ready.length < HIGH_WATER / 2) this.resume();
          yield next;
          continue;
        }
        if (this.failure !== undefined) throw this.failure;
        if (this.finished) return;
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
      }
    } finally {
      if (!this.finished) {
        this.discarding = true;
        this.ready.length = 0;
        if (this.paused) this.resume();
      }
    }
  }

  handleError(error: Error): void {
    this.failure = error;
    this.detach(undefined);
    this.signal();
  }

  handleCommandComplete(): void {
    // The row count is not needed: every row went through a batch.
  }

  handleReadyForQuery(): void {
    this.finished = true;
    this.signal();
  }

  private readonly onData = (chunk: Buffer): void => {
    let at = 0;
    while (at < chunk.length) {
      if (this.bodyLeft > 0) {
        const n = Math.min(this.bodyLeft, chunk.length - at);
        if (this.code === COPY_DATA && !this.discarding) this.append(chunk, at, n);
        this.bodyLeft -= n;
        at += n;
        if (this.bodyLeft === 0 && this.code === COPY_DATA) this.messageEnded();
        continue;
      }
      let headerAt = at;
      if (this.headerUsed > 0 || chunk.length - at < 5) {
        // A header split between two socket reads.
        const n = Math.min(5 - this.headerUsed, chunk.length - at);
        chunk.copy(this.header, this.headerUsed, at, at + n);
        this.headerUsed += n;
        at += n;
        if (this.headerUsed < 5) return;
        this.code = this.header[0] as number;
        this.bodyLeft = this.header.readUInt32BE(1) - 4;
        headerAt = -1;
      } else {
        this.code = chunk[at] as number;
        this.bodyLeft = chunk.readUInt32BE(at + 1) - 4;
        at += 5;
      }
      this.headerUsed = 0;
      if (this.code === ERROR_RESPONSE) {
        // node-postgres parses the error from its header on and calls handleError.
        this.detach(headerAt >= 0 ? chunk.subarray(headerAt) : Buffer.concat([this.header, chunk.subarray(at)]));
        return;
      }
      if (this.code === COPY_DONE) {
        this.flush();
        this.detach(chunk.subarray(at));
        return;
      }
    }
  };

  private append(chunk: Buffer, at: number, n: number): void {
    if (this.used + n > this.batch.length) {
      // A row larger than the room left: grow this batch rather than split the row.
      const grown = newBatch(Math.max(this.batch.length * 2, this.used + n));
      this.batch.copy(grown, 0, 0, this.used);
      this.batch = grown;
    }
    chunk.copy(this.batch, this.used, at, at + n);
    this.used += n;
  }

  /** A batch is cut only where a row ends. */
  private messageEnded(): void {
    if (this.used >= this.batchBytes && this.batch[this.used - 1] === 0x0a) {
      this.flush();
      this.batch = newBatch(this.batchBytes + (this.batchBytes >> 2));
    }
  }

  private flush(): void {
    if (this.used === 0 || this.discarding) return;
    this.ready.push({ buffer: this.batch.buffer as ArrayBuffer, length: this.used });
    this.used = 0;
    if (this.ready.length >= HIGH_WATER && !this.paused) {
      this.paused = true;
      this.connection?.stream.pause();
    }
    this.signal();
  }

  private detach(rest: Buffer | undefined): void {
    const { connection, pgListener } = this;
    if (connection === undefined || pgListener === undefined) return;
    this.pgListener = undefined;
    connection.stream.removeListener('data', this.onData);
    connection.stream.on('data', pgListener);
    if (rest !== undefined && rest.length > 0) pgListener(rest);
    if (this.paused) this.resume();
  }

  private resume(): void {
    this.paused = false;
    this.connection?.stream.resume();
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
