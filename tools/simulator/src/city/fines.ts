import type { Money } from '@qadaga/domain';
import { localYear } from '../time.js';

/**
 * Speeding fines. Cameras fire only above the tolerance of 10 km/h; the fine then
 * depends on the excess over the limit, in multiples of the monthly calculation index
 * (MRP) of the offence's year. Bands as reported for art. 592 of the Code of
 * Administrative Offences (parts 1-3 and 3-1, the last in force since 4 Dec 2024).
 */
export interface SpeedBand {
  /** Excess over the limit, exclusive lower bound (km/h). */
  above: number;
  /** Inclusive upper bound; Infinity for the top band. */
  upTo: number;
  article: string;
  mrpMultiple: number;
}

export const SPEED_BANDS: readonly SpeedBand[] = [
  { above: 10, upTo: 20, article: '592.1', mrpMultiple: 5 },
  { above: 20, upTo: 40, article: '592.2', mrpMultiple: 10 },
  { above: 40, upTo: 60, article: '592.3', mrpMultiple: 20 },
  { above: 60, upTo: Infinity, article: '592.3-1', mrpMultiple: 40 },
];

/** The excess values at which a higher band starts; "just under" one of them is the downgrade signal. */
export const BAND_EDGES = [20, 40, 60] as const;

/**
 * MRP in tenge by year, as the project's domain brief states it. Years outside the
 * table take the nearest known year, so a long simulated span still gets a fine.
 */
export const MRP_BY_YEAR: Readonly<Record<number, number>> = { 2025: 3_692, 2026: 3_932 };

const KNOWN_YEARS = Object.keys(MRP_BY_YEAR).map(Number).sort((a, b) => a - b);
const FIRST_YEAR = KNOWN_YEARS[0] as number;
const LAST_YEAR = KNOWN_YEARS[KNOWN_YEARS.length - 1] as number;

export function mrpFor(t: number): number {
  const year = Math.min(LAST_YEAR, Math.max(FIRST_YEAR, localYear(t)));
  return MRP_BY_YEAR[year] ?? (MRP_BY_YEAR[LAST_YEAR] as number);
}

export function bandFor(excess: number): SpeedBand {
  for (const band of SPEED_BANDS) if (excess <= band.upTo) return band;
  return SPEED_BANDS[SPEED_BANDS.length - 1] as SpeedBand;
}

export function fineFor(excess: number, offenceAt: number): Money {
  const mrp = mrpFor(offenceAt);
  return { amount: bandFor(excess).mrpMultiple * mrp, mrp };
}

/** Paid within the discount window: half the fine (amounts are multiples of an even-sized index, so whole tenge). */
export function discounted(fine: Money): number {
  return Math.round(fine.amount / 2);
}
