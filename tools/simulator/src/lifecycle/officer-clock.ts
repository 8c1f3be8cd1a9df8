import { SECOND } from '../time.js';

/**
 * Keeps one officer's signed actions at least ten seconds apart, as a person at a
 * terminal produces them. Without it, two random decisions of the same officer could
 * land a second apart and look like rubber stamping, polluting that scheme's negatives.
 *
 * Times are kept in 10-second buckets; buckets older than the stream's position are
 * pruned, so memory follows the city's rate of work, not the length of the stream.
 */
const MIN_GAP = 10 * SECOND;
const BUCKET = 10 * SECOND;

export class OfficerClock {
  private readonly taken = new Map<string, Map<number, number[]>>();

  private bucketsOf(officerId: string): Map<number, number[]> {
    let buckets = this.taken.get(officerId);
    if (buckets === undefined) {
      buckets = new Map();
      this.taken.set(officerId, buckets);
    }
    return buckets;
  }

  private add(buckets: Map<number, number[]>, t: number): void {
    const b = Math.floor(t / BUCKET);
    const list = buckets.get(b);
    if (list === undefined) buckets.set(b, [t]);
    else list.push(t);
  }

  /** Records a planned action at exactly t (a scheme's burst may be closer than the gap). */
  mark(officerId: string, t: number): void {
    this.add(this.bucketsOf(officerId), t);
  }

  /** The first time at or after t that keeps the gap to every other action of the officer; it is then taken. */
  reserve(officerId: string, t: number): number {
    const buckets = this.bucketsOf(officerId);
    let at = Math.round(t);
    for (;;) {
      const b = Math.floor(at / BUCKET);
      let latestConflict = -Infinity;
      for (let k = b - 1; k <= b + 1; k += 1) {
        for (const other of buckets.get(k) ?? []) if (Math.abs(other - at) < MIN_GAP && other > latestConflict) latestConflict = other;
      }
      if (latestConflict === -Infinity) break;
      at = latestConflict + MIN_GAP + 250;
    }
    this.add(buckets, at);
    return at;
  }

  /** Forgets actions before t: no later violation can act that early. */
  prune(before: number): void {
    const limit = Math.floor(before / BUCKET);
    for (const buckets of this.taken.values()) {
      for (const b of buckets.keys()) if (b < limit) buckets.delete(b);
    }
  }
}
