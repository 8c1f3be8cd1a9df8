import { describe, expect, it } from 'vitest';
import { attackerIntervals, disclosedCells, protectLinkedTables, type LinkedTables } from './linked-tables.js';
import { protectHierarchicalCounts, TOTAL_COLUMN } from './hierarchical-counts.js';

describe('protecting linked count tables', () => {
  it('withholds a second part of a sum whose one withheld part the total would give away', () => {
    // total 30 = a 3 + b 12 + c 15: a is under the minimum; b, the cheapest other part, goes with it.
    const tables: LinkedTables = { values: [30, 3, 12, 15], equations: [{ total: 0, parts: [1, 2, 3] }] };
    expect(disclosedCells(tables, [false, true, false, false])).toEqual([1]);
    const { withheld, primary, complementary } = protectLinkedTables(tables, 10);
    expect(withheld).toEqual([false, true, true, false]);
    expect([primary, complementary]).toEqual([1, 1]);
    expect(attackerIntervals(tables, withheld).slice(1, 3)).toEqual([{ lo: 0, hi: 15 }, { lo: 0, hi: 15 }]);
  });

  it('sees through bounds: withheld parts a shown total leaves no room for are pinned to zero', () => {
    // total 12 = a 12 + b 0 + c 0: with a shown, b and c can only be 0.
    const tables: LinkedTables = { values: [12, 12, 0, 0], equations: [{ total: 0, parts: [1, 2, 3] }] };
    expect(disclosedCells(tables, [false, false, true, true])).toEqual([2, 3]);
    expect(disclosedCells(tables, protectLinkedTables(tables, 10).withheld)).toEqual([]);
  });

  it('uses what a listed row implies and the order between measures', () => {
    // total 11 = a 10 + b + c with b at least 1 (a row listed only when counting): b is pinned to 1 and c to 0.
    const listed: LinkedTables = { values: [11, 10, 1, 0], equations: [{ total: 0, parts: [1, 2, 3] }], lowerBounds: new Map([[2, 1]]) };
    expect(disclosedCells(listed, [false, false, true, true])).toEqual([2, 3]);
    // cancellations (withheld, 10) <= violations (10) <= detections (10): both shown pin it.
    const ordered: LinkedTables = { values: [10, 10, 10], equations: [], orders: [{ below: 2, above: 1 }, { below: 1, above: 0 }] };
    expect(disclosedCells(ordered, [false, true, false])).toEqual([1]);
  });

  it('never counts an unpublished remainder as disclosed, though it protects the cells beside it', () => {
    // district 20 = camera 5 + remainder 15 (unpublished): the camera is not pinned, the remainder may be.
    const tables: LinkedTables = { values: [20, 5, 15], equations: [{ total: 0, parts: [1, 2] }], unpublished: new Set([2]) };
    const { withheld } = protectLinkedTables(tables, 10);
    expect(withheld).toEqual([false, true, true]);
    expect(disclosedCells(tables, withheld)).toEqual([]);
  });

  it('lays out a place hierarchy by week and over the weeks, and protects it as one', () => {
    const value = (node: string, week: string, measure: 'n') => ({ city: { w1: 40, w2: 45 }, a: { w1: 25, w2: 40 }, b: { w1: 15, w2: 5 } })[node as 'city']![week as 'w1'] * (measure === 'n' ? 1 : 0);
    const counts = protectHierarchicalCounts({ measures: ['n'], columns: ['w1', 'w2'], nodes: [{ key: 'city', parent: null }, { key: 'a', parent: 'city' }, { key: 'b', parent: 'city' }], value }, 10);
    expect(counts.shown('b', 'w2', 'n')).toBeNull();
    // b's 5 in week 2 would follow from a's 40 and the city's 45, or from b's 20 over both weeks less its 15.
    expect(counts.shown('a', 'w2', 'n') === null || counts.shown('city', 'w2', 'n') === null).toBe(true);
    expect(counts.shown('b', TOTAL_COLUMN, 'n') === null || counts.shown('b', 'w1', 'n') === null).toBe(true);
    expect(disclosedCells(counts.tables, counts.protection.withheld)).toEqual([]);
  });
});
