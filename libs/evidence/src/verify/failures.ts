export interface BundleFailure {
  /** The file of the bundle at fault (or "(bundle)" when the archive itself cannot be read). */
  file: string;
  reason: string;
}

const PER_FILE = 50;

/**
 * Failures in the order found, at most a few dozen per file: one edited byte can break
 * thousands of lines, and a reader needs the first of them and a count, not all.
 */
export class Failures {
  readonly list: BundleFailure[] = [];
  private readonly perFile = new Map<string, number>();

  add(file: string, reason: string): void {
    const n = (this.perFile.get(file) ?? 0) + 1;
    this.perFile.set(file, n);
    if (n <= PER_FILE) this.list.push({ file, reason });
  }

  has(file: string): boolean {
    return (this.perFile.get(file) ?? 0) > 0;
  }

  /** The list, with one closing line per file whose failures were cut. */
  result(): BundleFailure[] {
    const out = [...this.list];
    for (const [file, n] of this.perFile) {
      if (n > PER_FILE) out.push({ file, reason: `and ${n - PER_FILE} more failures in this file` });
    }
    return out;
  }
}
