import { parse } from 'csv-parse/sync';
import type { PublicFigures, PublicStats } from '@qadaga/contracts/api';

/**
 * An attacker of the public figures, written apart from the suppression it attacks. It
 * takes everything published (the JSON, the CSV and the GeoJSON download), writes every
 * sum the tables must satisfy, and narrows each withheld count to an interval: a sum with
 * one unknown gives it outright; otherwise each unknown lies between the total less the
 * others' largest values and the total less their smallest, counts are never negative,
 * a camera is listed only when it detected something, and cancellations <= violations <=
 * detections. It repeats until nothing narrows. A withheld count pinned to one value is
 * disclosed.
 */

const MEASURES = ['detections', 'violations', 'cancellations'] as const;
const TOTAL = 'total';

export interface AttackerKnowledge {
  /** Ids of the loaded boundaries (GET /v1/public/districts): those districts are listed even when empty. */
  boundaryIds: readonly string[];
  /**
   * Districts with detections that have no camera (a remainder the tables do not list):
   * the attacker is granted which districts have one, not its counts.
   */
  districtsWithRemainder: ReadonlySet<string | null>;
}

export interface Disclosure {
  cell: string;
  value: number;
  how: string;
}

interface Series {
  total: PublicFigures;
  weeks: ({ week: string } & PublicFigures)[];
}

/** Every published count, from every representation, keyed by place, column and measure; the representations must agree. */
export function publishedCells(stats: PublicStats, csv: string, geojson: Record<string, unknown>): Map<string, number | null> {
  const cells = new Map<string, number | null>();
  const put = (key: string, value: number | null, where: string) => {
    if (!cells.has(key)) cells.set(key, value);
    else if (cells.get(key) !== value) throw new Error(`${where} publishes ${key} as ${value}, the JSON as ${cells.get(key)}`);
    else if (value !== null && cells.get(key) === null) throw new Error(`${where} shows ${key}, withheld in the JSON`);
  };
  const series = (place: string, s: Series, where: string) => {
    for (const m of MEASURES) put(`${place}|${TOTAL}|${m}`, s.total[m], where);
    for (const w of s.weeks) for (const m of MEASURES) put(`${place}|${w.week}|${m}`, w[m], where);
  };
  series('city', stats.city, 'json');
  for (const d of stats.districts) series(`district:${d.district ?? '∅'}`, d, 'json');
  for (const c of stats.cameras) series(`camera:${c.district ?? '∅'}:${c.cameraId}`, c, 'json');

  const records = parse(csv, { comment: '#', columns: true }) as Record<string, string>[];
  for (const r of records) {
    const place = r['level'] === 'city' ? 'city' : r['level'] === 'district' ? `district:${r['district'] || '∅'}` : `camera:${r['district'] || '∅'}:${r['camera_id']}`;
    for (const m of MEASURES) put(`${place}|${r['week']}|${m}`, r[m] === '' ? null : Number(r[m]), 'csv');
  }
  series('city', geojson['city'] as Series, 'geojson');
  for (const f of geojson['features'] as { properties: Series & { level: string; district: string | null; cameraId?: string } }[]) {
    const p = f.properties;
    series(p.level === 'district' ? `district:${p.district ?? '∅'}` : `camera:${p.district ?? '∅'}:${p.cameraId}`, p, 'geojson');
  }
  return cells;
}

/** Rates shown next to a withheld count give the count away (a rate times a shown count). */
export function ratesWithWithheldCounts(stats: PublicStats): string[] {
  const out: string[] = [];
  const check = (place: string, f: PublicFigures, column: string) => {
    if (f.violationsPer1000 !== null && (f.violations === null || f.detections === null)) out.push(`${place}|${column}|violationsPer1000`);
    if (f.cancellationsPer1000 !== null && (f.cancellations === null || f.detections === null)) out.push(`${place}|${column}|cancellationsPer1000`);
  };
  const series = (place: string, s: Series) => {
    check(place, s.total, TOTAL);
    for (const w of s.weeks) check(place, w, w.week);
  };
  series('city', stats.city);
  for (const d of stats.districts) series(`district:${d.district ?? '∅'}`, d);
  for (const c of stats.cameras) series(`camera:${c.district ?? '∅'}:${c.cameraId}`, c);
  return out;
}

export function attackPublicFigures(stats: PublicStats, csv: string, geojson: Record<string, unknown>, knowledge: AttackerKnowledge): Disclosure[] {
  const published = publishedCells(stats, csv, geojson);
  const columns = [...stats.weeks, TOTAL];
  const lo = new Map<string, number>();
  const hi = new Map<string, number>();
  const withheld = new Set<string>();
  const cell = (key: string, floor = 0) => {
    if (lo.has(key)) return key;
    const v = published.get(key);
    if (v === undefined || v === null) {
      withheld.add(key);
      lo.set(key, floor);
      hi.set(key, Number.POSITIVE_INFINITY);
    } else {
      lo.set(key, v);
      hi.set(key, v);
    }
    return key;
  };
  const sums: { total: string; parts: string[] }[] = [];
  const orders: [string, string][] = [];

  const places: { place: string; parent: string | null }[] = [{ place: 'city', parent: null }];
  for (const d of stats.districts) places.push({ place: `district:${d.district ?? '∅'}`, parent: 'city' });
  for (const c of stats.cameras) places.push({ place: `camera:${c.district ?? '∅'}:${c.cameraId}`, parent: `district:${c.district ?? '∅'}` });
  // A remainder the attacker knows to exist is one more part of its district, unknown in every cell.
  for (const d of stats.districts) {
    if (knowledge.districtsWithRemainder.has(d.district)) places.push({ place: `remainder:${d.district ?? '∅'}`, parent: `district:${d.district ?? '∅'}` });
  }
  const listedWhenCounting = (place: string) =>
    place.startsWith('camera:') ||
    place.startsWith('remainder:') || (place.startsWith('district:') && !knowledge.boundaryIds.includes(place.slice('district:'.length)));

  for (const { place } of places) {
    for (const column of columns) for (const m of MEASURES) cell(`${place}|${column}|${m}`, column === TOTAL && m === 'detections' && listedWhenCounting(place) ? 1 : 0);
    for (const m of MEASURES) sums.push({ total: `${place}|${TOTAL}|${m}`, parts: stats.weeks.map((w) => `${place}|${w}|${m}`) });
    for (const column of columns) {
      orders.push([`${place}|${column}|cancellations`, `${place}|${column}|violations`]);
      orders.push([`${place}|${column}|violations`, `${place}|${column}|detections`]);
    }
  }
  for (const { place } of places) {
    const kids = places.filter((p) => p.parent === place).map((p) => p.place);
    if (kids.length === 0) continue;
    for (const column of columns) for (const m of MEASURES) sums.push({ total: `${place}|${column}|${m}`, parts: kids.map((k) => `${k}|${column}|${m}`) });
  }

  const how = new Map<string, string>();
  const narrow = (key: string, low: number, high: number, reason: string) => {
    let changed = false;
    if (low > lo.get(key)!) {
      lo.set(key, low);
      changed = true;
    }
    if (high < hi.get(key)!) {
      hi.set(key, high);
      changed = true;
    }
    if (changed && lo.get(key) === hi.get(key) && !how.has(key)) how.set(key, reason);
    return changed;
  };
  for (let round = 0; round < 1_000; round += 1) {
    let changed = false;
    for (const { total, parts } of sums) {
      const unknown = [total, ...parts].filter((k) => lo.get(k) !== hi.get(k));
      if (unknown.length === 0) continue;
      if (unknown.length === 1) {
        // One unknown: the sum gives it.
        const k = unknown[0]!;
        const value = k === total ? parts.reduce((s, p) => s + lo.get(p)!, 0) : lo.get(total)! - parts.filter((p) => p !== k).reduce((s, p) => s + lo.get(p)!, 0);
        changed = narrow(k, value, value, `${total} = sum of its parts, one of them unknown`) || changed;
        continue;
      }
      const partsLo = parts.reduce((s, p) => s + lo.get(p)!, 0);
      const partsHi = parts.reduce((s, p) => s + hi.get(p)!, 0);
      changed = narrow(total, partsLo, partsHi, `${total}: bounded by its parts`) || changed;
      for (const p of parts) {
        const othersLo = partsLo - lo.get(p)!;
        const othersHi = parts.filter((o) => o !== p).reduce((s, o) => s + hi.get(o)!, 0);
        changed = narrow(p, lo.get(total)! - othersHi, hi.get(total)! - othersLo, `${p}: ${total} less the other parts' bounds`) || changed;
      }
    }
    for (const [below, above] of orders) {
      changed = narrow(below, 0, hi.get(above)!, `${below} <= ${above}`) || changed;
      changed = narrow(above, lo.get(below)!, Number.POSITIVE_INFINITY, `${above} >= ${below}`) || changed;
    }
    if (!changed) break;
  }
  const disclosed: Disclosure[] = [];
  for (const key of withheld) if (!key.startsWith('remainder:') && lo.get(key) === hi.get(key)) disclosed.push({ cell: key, value: lo.get(key)!, how: how.get(key) ?? '' });
  return disclosed;
}
