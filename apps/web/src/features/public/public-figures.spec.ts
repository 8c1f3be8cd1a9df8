import { describe, expect, it } from 'vitest';
import type { PublicFigures, PublicStats } from '@qadaga/contracts/api';
import { citySentence, figuresOf, measureOf, scaleRange, sumShown } from './public-figures.js';

const figures = (violations: number | null, per1000: number | null = null): PublicFigures => ({
  detections: 100,
  violations,
  cancellations: null,
  violationsPer1000: per1000,
  cancellationsPer1000: null,
});

describe('public figures', () => {
  const place = { total: figures(30, 300), weeks: [{ week: '2026-10-05', ...figures(10, 100) }, { week: '2026-10-12', ...figures(null) }] };

  it('reads a week, or the whole quarter, and keeps a withheld figure as null rather than zero', () => {
    expect(measureOf(figuresOf(place, null), 'violations')).toBe(30);
    expect(measureOf(figuresOf(place, '2026-10-05'), 'violationsPer1000')).toBe(100);
    expect(measureOf(figuresOf(place, '2026-10-12'), 'violations')).toBeNull();
    expect(figuresOf(place, '2026-10-19')).toBeNull();
  });

  it('shows a place the figures do not list as withheld for the quarter and absent in every week, never as zero', () => {
    const quarter = figuresOf(undefined, null);
    for (const measure of ['detections', 'violations', 'cancellations', 'violationsPer1000', 'cancellationsPer1000'] as const) expect(measureOf(quarter, measure)).toBeNull();
    expect(quarter).not.toBeNull();
    expect(figuresOf(undefined, '2026-10-05')).toBeNull();
  });

  it('sets the colour scale from every week, so one colour means one number whichever week is shown', () => {
    const stats = {
      districts: [
        { district: 'a', name: null, total: figures(30), weeks: [{ week: 'w1', ...figures(5) }, { week: 'w2', ...figures(25) }] },
        { district: 'b', name: null, total: figures(12), weeks: [{ week: 'w1', ...figures(12) }, { week: 'w2', ...figures(null) }] },
      ],
    } as unknown as PublicStats;
    expect(scaleRange(stats, 'violations', false)).toEqual({ min: 5, max: 25 });
    expect(scaleRange(stats, 'violations', true)).toEqual({ min: 12, max: 30 });
  });

  it('sums what is shown of a cluster and counts what is withheld', () => {
    expect(sumShown([figures(12), figures(null), null, figures(3)], 'violations')).toEqual({ shown: 15, withheld: 2 });
  });
});

describe('the city sentence', () => {
  const t = (key: string, values: Record<string, string> = {}) => `${key}${Object.keys(values).length > 0 ? JSON.stringify(values) : ''}`;
  const number = (v: number, digits: number) => v.toFixed(digits);
  const city = (over: Partial<PublicFigures>): PublicFigures => ({ detections: 1200, violations: 900, cancellations: 30, violationsPer1000: 750, cancellationsPer1000: 25, ...over });

  it('says each figure with its rate when both are published', () => {
    const s = citySentence(city({}), 'Q4', t, number);
    expect(s).toContain('"detections":"1200"');
    expect(s).toContain('public.violationsClause{\\"count\\":\\"900\\",\\"rate\\":\\"public.violationsRate{\\\\\\"value\\\\\\":\\\\\\"750.0\\\\\\"}\\"}');
  });

  it('says a withheld count is withheld instead of putting "withheld" where the number goes', () => {
    const s = citySentence(city({ cancellations: null, cancellationsPer1000: null }), 'Q4', t, number);
    expect(s).toContain('"cancellations":"public.cancellationsWithheld"');
    expect(s).not.toContain('public.withheld');
  });

  it('leaves a withheld rate out of the clause, and says so when the detections themselves are withheld', () => {
    expect(citySentence(city({ violationsPer1000: null }), 'Q4', t, number)).toContain('public.violationsClause{\\"count\\":\\"900\\",\\"rate\\":\\"\\"}');
    expect(citySentence(city({ detections: null }), 'Q4', t, number)).toBe('public.citySentenceTooFew{"period":"Q4"}');
    expect(citySentence(null, 'Q4', t, number)).toBe('public.citySentenceTooFew{"period":"Q4"}');
  });
});
