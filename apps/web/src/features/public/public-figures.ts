import type { PublicFigures, PublicStats } from '@qadaga/contracts/api';

export const PUBLIC_MEASURES = ['violationsPer1000', 'cancellationsPer1000', 'violations', 'cancellations', 'detections'] as const;
export type PublicMeasure = (typeof PUBLIC_MEASURES)[number];

/** A place's figures in one week (by its Monday), or over the whole period when week is null. */
export function figuresOf(place: { total: PublicFigures; weeks: readonly ({ week: string } & PublicFigures)[] } | undefined, week: string | null): PublicFigures | null {
  // A place the figures do not list had nothing published: every figure withheld for the
  // quarter, and no week of its own.
  if (place === undefined) return week === null ? WITHHELD : null;
  if (week === null) return place.total;
  return place.weeks.find((w) => w.week === week) ?? null;
}

const WITHHELD: PublicFigures = { detections: null, violations: null, cancellations: null, violationsPer1000: null, cancellationsPer1000: null };

/** The measure's value; null when withheld (or the place had nothing that week). */
export function measureOf(figures: PublicFigures | null, measure: PublicMeasure): number | null {
  return figures === null ? null : figures[measure];
}

/**
 * The ends of the colour scale: the lowest and highest district figure of the measure over
 * every week (or over the totals when the quarter is shown whole), so one colour means the
 * same number whichever week the slider shows.
 */
export function scaleRange(stats: PublicStats, measure: PublicMeasure, whole: boolean): { min: number; max: number } {
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (const district of stats.districts) {
    const values = whole ? [district.total[measure]] : district.weeks.map((w) => w[measure]);
    for (const v of values) {
      if (v === null) continue;
      if (v > max) max = v;
      if (v < min) min = v;
    }
  }
  return { min: Number.isFinite(min) ? min : 0, max };
}

/** Sums what is shown of some cameras' figures, and says how many of them are withheld. */
export function sumShown(figures: readonly (PublicFigures | null)[], measure: 'detections' | 'violations' | 'cancellations'): { shown: number; withheld: number } {
  let shown = 0;
  let withheld = 0;
  for (const f of figures) {
    const v = f?.[measure] ?? null;
    if (v === null) withheld += 1;
    else shown += v;
  }
  return { shown, withheld };
}

type Translate = (key: string, values?: Record<string, string>) => string;

const CLAUSE_KEYS = {
  violations: { clause: 'public.violationsClause', rate: 'public.violationsRate', withheld: 'public.violationsWithheld' },
  cancellations: { clause: 'public.cancellationsClause', rate: 'public.cancellationsRate', withheld: 'public.cancellationsWithheld' },
} as const;

/**
 * The sentence above the map, said so that a withheld figure reads as withheld: "the number
 * of fines cancelled is withheld", never "withheld fines were cancelled".
 */
export function citySentence(figures: PublicFigures | null, period: string, t: Translate, number: (value: number, digits: number) => string): string {
  if (figures?.detections === null || figures?.detections === undefined) return t('public.citySentenceTooFew', { period });
  const clause = (count: number | null, per1000: number | null, keys: (typeof CLAUSE_KEYS)[keyof typeof CLAUSE_KEYS]) => {
    if (count === null) return t(keys.withheld);
    const rate = per1000 === null ? '' : t(keys.rate, { value: number(per1000, 1) });
    return t(keys.clause, { count: number(count, 0), rate });
  };
  return t('public.citySentence', {
    period,
    detections: number(figures.detections, 0),
    violations: clause(figures.violations, figures.violationsPer1000, CLAUSE_KEYS.violations),
    cancellations: clause(figures.cancellations, figures.cancellationsPer1000, CLAUSE_KEYS.cancellations),
  });
}
