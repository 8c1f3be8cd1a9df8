/**
 * How far a reader has got through its input, in bytes, for a progress bar with time left.
 * The reader hands over a way to ask rather than reporting each chunk, so a file read
 * without a progress bar pays nothing. For a zipped log the bytes are the entry's
 * uncompressed ones, the only measure of the XML left to parse.
 */
export class ReadProgress {
  private read: () => number = () => 0;
  private total = 0;

  /** Called by the reader once its byte stream is open. */
  measure(bytesRead: () => number, totalBytes: number): void {
    this.read = bytesRead;
    this.total = totalBytes;
  }

  get totalBytes(): number {
    return this.total;
  }

  get bytesRead(): number {
    return Math.min(this.read(), this.total);
  }
}
