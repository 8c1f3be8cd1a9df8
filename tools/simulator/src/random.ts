/**
 * A small seedable PRNG. Every draw of the simulated city comes from here, so the same
 * seed gives the same city byte for byte, on any machine (Math.random would not).
 *
 * mulberry32 is the generator the existing lifecycle stream already uses: 32 bits of
 * state, fast, and statistically good enough for a simulation (not for cryptography).
 * We avoid a package: the generator is ten lines and its output must never change under
 * us with a dependency update, or every recorded ground truth would silently drift.
 */

/** Mixes integers into one 32-bit seed (murmur3's finaliser on a running hash). */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h ^= Math.imul((part | 0) ^ Math.floor(part / 4294967296), 0x85ebca6b);
    h = Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** Independent streams of draws: one per violation and purpose, so drawing more in one never shifts another. */
export const STREAM = {
  plan: 1,
  roster: 2,
  cameras: 3,
  vehicles: 4,
  traffic: 5,
  lifecycle: 6,
} as const;

const HEX_BYTES = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks by relative weight: [[value, weight], ...]. */
  weighted<T>(options: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of options) total += w;
    let x = this.next() * total;
    for (const [value, w] of options) {
      x -= w;
      if (x < 0) return value;
    }
    return (options[options.length - 1] as readonly [T, number])[0];
  }

  /** Exponentially distributed with the given mean: waiting times. */
  expo(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i -= 1) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j] as T, items[i] as T];
    }
    return items;
  }

  /** n hex characters (for media hashes: they only need to look like SHA-256 and differ). */
  hex(n: number): string {
    let out = '';
    while (out.length < n) {
      const word = Math.floor(this.next() * 4294967296);
      out += (HEX_BYTES[word >>> 24] as string) + (HEX_BYTES[(word >>> 16) & 255] as string) + (HEX_BYTES[(word >>> 8) & 255] as string) + (HEX_BYTES[word & 255] as string);
    }
    return out.length === n ? out : out.slice(0, n);
  }
}

/** Binary search in a cumulative weight table: the first index whose cumulative weight exceeds x. */
export function searchCumulative(cumulative: Float64Array, x: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cumulative[mid] as number) > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
