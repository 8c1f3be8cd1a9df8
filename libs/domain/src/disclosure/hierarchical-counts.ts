import { protectLinkedTables, type LinkedTables, type Protection } from './linked-tables.js';

/** One row of a place hierarchy (the city, a district, a camera). */
export interface CountNode {
  readonly key: string;
  /** The row it adds up into; null for the root. */
  readonly parent: string | null;
  /** A remainder (counts of the parent no listed child holds): never published; lay it out only when it holds something. */
  readonly unpublished?: boolean;
  /** Listed only when its first measure's total is at least one, which tells a reader as much. */
  readonly listedWhenCounting?: boolean;
}

export interface HierarchicalCounts<M extends string> {
  /** Measures from the widest to the narrowest: each is a subset of the one before it. */
  readonly measures: readonly [M, ...M[]];
  /** The time columns (weeks); their sum, the total column, is published too. */
  readonly columns: readonly string[];
  /** The root first; every other node's parent listed before it. */
  readonly nodes: readonly CountNode[];
  /** The count of a node in a column for a measure (its own, children included). */
  readonly value: (node: string, column: string, measure: M) => number;
}

export const TOTAL_COLUMN = '*';

export interface ProtectedCounts<M extends string> {
  /** The published count, or null when withheld; `column` is a week or TOTAL_COLUMN. */
  readonly shown: (node: string, column: string, measure: M) => number | null;
  readonly protection: Protection;
  /** The linked tables the protection was computed over (for audits). */
  readonly tables: LinkedTables;
  readonly cellOf: (node: string, column: string, measure: M) => number;
}

/**
 * Lays out the counts of a place hierarchy by week and over all weeks as linked tables
 * (each node the sum of its children in every column, each column set the sum of its
 * weeks, each measure at most the one before it) and protects them together, so a cell
 * withheld in one table cannot be worked out from another.
 */
export function protectHierarchicalCounts<M extends string>(counts: HierarchicalCounts<M>, minCount: number): ProtectedCounts<M> {
  const columns = [...counts.columns, TOTAL_COLUMN];
  const index = new Map<string, number>();
  const values: number[] = [];
  const weights: number[] = [];
  const unpublished = new Set<number>();
  const lowerBounds = new Map<number, number>();
  const depth = new Map<string, number>();
  const children = new Map<string, string[]>();
  for (const node of counts.nodes) {
    depth.set(node.key, node.parent === null ? 0 : (depth.get(node.parent) ?? 0) + 1);
    if (node.parent !== null) children.set(node.parent, [...(children.get(node.parent) ?? []), node.key]);
  }
  const key = (node: string, column: string, measure: M) => `${node}\u0000${column}\u0000${measure}`;
  for (const node of counts.nodes) {
    // Withholding a city or district figure costs readers more than withholding a camera's.
    const levelWeight = 2 ** Math.max(0, 3 - (depth.get(node.key) ?? 0));
    for (const column of columns) {
      for (const measure of counts.measures) {
        const value = column === TOTAL_COLUMN ? counts.columns.reduce((s, c) => s + counts.value(node.key, c, measure), 0) : counts.value(node.key, column, measure);
        const i = values.length;
        index.set(key(node.key, column, measure), i);
        values.push(value);
        weights.push(levelWeight * (column === TOTAL_COLUMN ? 2 : 1));
        if (node.unpublished) unpublished.add(i);
      }
    }
    // A remainder is laid out only when it holds something, and a reader may know it is there.
    if (node.listedWhenCounting || node.unpublished) lowerBounds.set(index.get(key(node.key, TOTAL_COLUMN, counts.measures[0]))!, 1);
  }
  const cellOf = (node: string, column: string, measure: M) => {
    const i = index.get(key(node, column, measure));
    if (i === undefined) throw new Error(`no cell ${node} / ${column} / ${measure}`);
    return i;
  };
  const equations: { total: number; parts: number[] }[] = [];
  const orders: { below: number; above: number }[] = [];
  for (const node of counts.nodes) {
    const kids = children.get(node.key) ?? [];
    for (const measure of counts.measures) {
      for (const column of columns) if (kids.length > 0) equations.push({ total: cellOf(node.key, column, measure), parts: kids.map((k) => cellOf(k, column, measure)) });
      if (counts.columns.length > 0) equations.push({ total: cellOf(node.key, TOTAL_COLUMN, measure), parts: counts.columns.map((c) => cellOf(node.key, c, measure)) });
    }
    for (const column of columns) {
      for (let m = 1; m < counts.measures.length; m += 1) {
        orders.push({ below: cellOf(node.key, column, counts.measures[m]!), above: cellOf(node.key, column, counts.measures[m - 1]!) });
      }
    }
  }
  const tables: LinkedTables = { values, unpublished, equations, orders, lowerBounds, weights };
  const protection = protectLinkedTables(tables, minCount);
  return {
    shown: (node, column, measure) => {
      const i = cellOf(node, column, measure);
      return protection.withheld[i] ? null : (values[i] ?? 0);
    },
    protection,
    tables,
    cellOf,
  };
}
