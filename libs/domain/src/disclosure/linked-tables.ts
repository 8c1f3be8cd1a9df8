/**
 * Cell suppression for a set of published count tables that add up into one another
 * (cameras into their district, districts into the city, weeks into a quarter), so that no
 * withheld cell can be worked out from what is shown.
 *
 * An attacker who sees the shown cells knows every sum relation between cells (each
 * equation `total = parts`), that counts are whole and never negative, any lower bound the
 * layout itself gives away (a listed row has at least one detection), and any order
 * between measures of one cell (cancellations <= violations <= detections). From those
 * they narrow every withheld cell to an interval; a cell whose interval is one value is
 * disclosed. `protectLinkedTables` withholds every cell under the minimum, then keeps
 * withholding the cheapest shown cell next to a disclosed one until none is disclosed.
 */

export interface LinkedTables {
  /** Each cell's true count (a whole number, never negative). */
  readonly values: readonly number[];
  /** Cells never published whatever their count (a remainder the tables do not list). */
  readonly unpublished?: ReadonlySet<number>;
  /** total = sum of parts, by cell index. */
  readonly equations: readonly { readonly total: number; readonly parts: readonly number[] }[];
  /** below <= above, by cell index: a measure that is a subset of another in the same cell. */
  readonly orders?: readonly { readonly below: number; readonly above: number }[];
  /** What the layout tells of a cell's least value (e.g. 1 for a row listed only when it counts something). */
  readonly lowerBounds?: ReadonlyMap<number, number>;
  /**
   * How much withholding a shown cell costs the reader, when it is not its count alone:
   * a higher weight keeps totals shown in preference to their parts.
   */
  readonly weights?: readonly number[];
}

export interface Interval {
  lo: number;
  hi: number;
}

/**
 * What the attacker learns of each cell from the shown ones: the tightest interval that
 * interval propagation over the equations, orders and bounds reaches (shown cells are
 * their own value). Propagation stops at a fixed point or after maxPasses passes.
 */
export function attackerIntervals(tables: LinkedTables, withheld: readonly boolean[], maxPasses = 500): Interval[] {
  const n = tables.values.length;
  const lo = new Float64Array(n);
  const hi = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    if (withheld[i]) {
      lo[i] = tables.lowerBounds?.get(i) ?? 0;
      hi[i] = Number.POSITIVE_INFINITY;
    } else {
      const value = tables.values[i] ?? 0;
      lo[i] = value;
      hi[i] = value;
    }
  }
  const raise = (i: number, v: number) => {
    if (v > lo[i]!) {
      lo[i] = v;
      return true;
    }
    return false;
  };
  const lower = (i: number, v: number) => {
    if (v < hi[i]!) {
      hi[i] = v;
      return true;
    }
    return false;
  };
  for (let pass = 0; pass < maxPasses; pass += 1) {
    let changed = false;
    for (const { total, parts } of tables.equations) {
      let sumLo = 0;
      let sumHiFinite = 0;
      let infinite = 0;
      for (const p of parts) {
        sumLo += lo[p]!;
        if (hi[p] === Number.POSITIVE_INFINITY) infinite += 1;
        else sumHiFinite += hi[p]!;
      }
      changed = raise(total, sumLo) || changed;
      if (infinite === 0) changed = lower(total, sumHiFinite) || changed;
      for (const p of parts) {
        const othersLo = sumLo - lo[p]!;
        const othersInfinite = infinite - (hi[p] === Number.POSITIVE_INFINITY ? 1 : 0);
        const othersHi = othersInfinite > 0 ? Number.POSITIVE_INFINITY : sumHiFinite - (hi[p] === Number.POSITIVE_INFINITY ? 0 : hi[p]!);
        if (hi[total] !== Number.POSITIVE_INFINITY) changed = lower(p, hi[total]! - othersLo) || changed;
        if (othersHi !== Number.POSITIVE_INFINITY) changed = raise(p, lo[total]! - othersHi) || changed;
      }
    }
    for (const { below, above } of tables.orders ?? []) {
      changed = lower(below, hi[above]!) || changed;
      changed = raise(above, lo[below]!) || changed;
    }
    if (!changed) break;
  }
  return Array.from({ length: n }, (_, i) => ({ lo: lo[i]!, hi: hi[i]! }));
}

/**
 * The withheld cells the attacker pins to one value. An unpublished cell (a remainder) is
 * no one's published count: pinning it discloses nothing, though its being unknown protects others.
 */
export function disclosedCells(tables: LinkedTables, withheld: readonly boolean[]): number[] {
  const intervals = attackerIntervals(tables, withheld);
  const out: number[] = [];
  intervals.forEach((iv, i) => {
    if (withheld[i] && iv.lo === iv.hi && !(tables.unpublished?.has(i) ?? false)) out.push(i);
  });
  return out;
}

export interface Protection {
  /** For each cell, whether it is withheld. */
  withheld: boolean[];
  /** Cells under the minimum (or never published). */
  primary: number;
  /** Cells withheld only so that the primary ones cannot be worked out. */
  complementary: number;
}

/**
 * Withholds every cell under minCount (and every unpublished one), then repeats two steps
 * until the attacker pins no withheld cell:
 *
 * 1. every equation with exactly one withheld member gets a second, its cheapest shown
 *    member (the smallest count, weighted): one unknown in a sum is given by the sum;
 * 2. for each cell the attacker still pins (a sum whose shown members leave the unknowns
 *    no room, e.g. a shown total equal to its shown parts pins the hidden ones to 0), the
 *    cheapest shown member of the equation (or order) that pins it is withheld; failing
 *    that, the nearest shown cell along the equations.
 *
 * Each round withholds at least one more cell, so it ends; it ends with nothing pinned
 * unless every cell is withheld.
 */
export function protectLinkedTables(tables: LinkedTables, minCount: number): Protection {
  const n = tables.values.length;
  const withheld = tables.values.map((v, i) => v < minCount || (tables.unpublished?.has(i) ?? false));
  const primary = withheld.filter(Boolean).length;
  const orders = tables.orders ?? [];
  const memberOf: number[][] = Array.from({ length: n }, () => []);
  tables.equations.forEach((e, k) => {
    for (const c of [e.total, ...e.parts]) memberOf[c]!.push(k);
  });
  const ordersOf: number[][] = Array.from({ length: n }, () => []);
  orders.forEach((o, k) => {
    ordersOf[o.below]!.push(k);
    ordersOf[o.above]!.push(k);
  });
  const neighbours = (cell: number) => [
    ...memberOf[cell]!.flatMap((k) => [tables.equations[k]!.total, ...tables.equations[k]!.parts]),
    ...ordersOf[cell]!.flatMap((k) => [orders[k]!.below, orders[k]!.above]),
  ].filter((c) => c !== cell);
  const cost = (i: number) => (tables.values[i] ?? 0) * (tables.weights?.[i] ?? 1);
  const shown = (i: number) => !withheld[i];
  const membersOf = (k: number) => [tables.equations[k]!.total, ...tables.equations[k]!.parts];

  for (let round = 0; round <= n; round += 1) {
    // Step 1, to a fixed point: no sum with a single unknown.
    for (let changed = true; changed; ) {
      changed = false;
      for (let k = 0; k < tables.equations.length; k += 1) {
        const members = membersOf(k);
        const unknown = members.filter((c) => withheld[c]);
        // A lone unknown that is an unpublished remainder is given away harmlessly.
        if (unknown.length !== 1 || (tables.unpublished?.has(unknown[0]!) ?? false)) continue;
        const next = cheapest(members.filter(shown), cost);
        if (next !== null) {
          withheld[next] = true;
          changed = true;
        }
      }
    }
    // Step 2: what interval reasoning still pins.
    const intervals = attackerIntervals(tables, withheld);
    const pinned = intervals.map((iv, i) => i).filter((i) => withheld[i] && intervals[i]!.lo === intervals[i]!.hi && !(tables.unpublished?.has(i) ?? false));
    if (pinned.length === 0) break;
    const touched = new Set<number>();
    let added = 0;
    for (const cell of pinned) {
      const k = pinningEquation(tables, intervals, cell, memberOf[cell]!);
      if (k !== null && touched.has(k)) continue;
      let next: number | null = null;
      if (k !== null) {
        touched.add(k);
        next = cheapest(membersOf(k).filter(shown), cost);
      }
      next ??= cheapest(neighbours(cell).filter(shown), cost) ?? nearestShown(cell, neighbours, shown, cost);
      if (next === null) continue;
      withheld[next] = true;
      added += 1;
    }
    if (added === 0) break;
  }
  return { withheld, primary, complementary: withheld.filter(Boolean).length - primary };
}

/** An equation that alone, given the others' intervals, pins the cell; null when none does. */
function pinningEquation(tables: LinkedTables, intervals: readonly Interval[], cell: number, equations: readonly number[]): number | null {
  const { lo, hi } = { lo: (i: number) => intervals[i]!.lo, hi: (i: number) => intervals[i]!.hi };
  for (const k of equations) {
    const e = tables.equations[k]!;
    let low: number;
    let high: number;
    if (e.total === cell) {
      low = e.parts.reduce((s, p) => s + lo(p), 0);
      high = e.parts.reduce((s, p) => s + hi(p), 0);
    } else {
      const others = e.parts.filter((p) => p !== cell);
      low = lo(e.total) - others.reduce((s, p) => s + hi(p), 0);
      high = hi(e.total) - others.reduce((s, p) => s + lo(p), 0);
    }
    if (Math.max(low, 0) >= high) return k;
  }
  return null;
}

function cheapest(candidates: readonly number[], cost: (i: number) => number): number | null {
  let best: number | null = null;
  for (const c of candidates) if (best === null || cost(c) < cost(best) || (cost(c) === cost(best) && c < best)) best = c;
  return best;
}

/** Breadth first along the equations from a cell, the first layer holding a shown cell, its cheapest. */
function nearestShown(start: number, neighbours: (cell: number) => number[], shown: (i: number) => boolean, cost: (i: number) => number): number | null {
  const seen = new Set([start]);
  let layer = [start];
  while (layer.length > 0) {
    const next: number[] = [];
    for (const c of layer) for (const m of neighbours(c)) if (!seen.has(m)) {
      seen.add(m);
      next.push(m);
    }
    const found = cheapest(next.filter(shown), cost);
    if (found !== null) return found;
    layer = next;
  }
  return null;
}
