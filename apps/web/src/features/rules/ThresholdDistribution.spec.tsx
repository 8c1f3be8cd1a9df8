// @vitest-environment happy-dom
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { FactDistribution } from '@qadaga/contracts/api';
import { renderInApp } from '../../testing/render.js';
import { binsOf, ThresholdDistribution } from './ThresholdDistribution.js';

afterEach(cleanup);

// The demo city's rubber-stamping officers: nobody's fast share lies between 2 % and 5 %.
const fastShare = (over: Partial<FactDistribution> = {}): FactDistribution => ({
  fact: 'fastDecisionShare',
  parameter: 'minFastShare',
  direction: 'above',
  unit: 'share',
  inclusive: true,
  threshold: 0.02,
  publishedThreshold: 0.05,
  count: 6,
  withoutValue: 2,
  beyond: 2,
  betweenThresholds: 0,
  values: [0, 0, 0.005, 0.01, 0.13, 0.2],
  sampled: false,
  ...over,
});

describe('where the judged subjects lie on a threshold\u2019s fact', () => {
  it.each([
    ['ru', 'Между опубликованным порогом (5 %) и новым (2 %) нет ни одного объекта: это изменение ничего не меняет.', 'Выше порога 2 %: 2 из 6.'],
    ['kk', 'Жарияланған шек (5%) пен жаңа шек (2%) арасында бірде-бір нысан жоқ: бұл өзгеріс ештеңені өзгертпейді.', '6 нысанның 2 нысаны 2% шегінен жоғары.'],
    ['en', 'No subject lies between the published threshold (5%) and the new one (2%): this move changes nothing.', '2 of 6 subjects lie above the threshold of 2%.'],
  ] as const)('says in %s that a move with no subject between the thresholds changes nothing', async (locale, nothing, beyond) => {
    await renderInApp(<ThresholdDistribution distribution={fastShare()} />, { locale });
    const note = screen.getByRole('note').textContent?.replace(/\u00a0|\u202f/gu, ' ') ?? '';
    expect(note).toContain(nothing.replace(/\u00a0/gu, ' '));
    expect(note).toContain(beyond);
  });

  it('counts the subjects between the two thresholds when there are some, and those without a value', async () => {
    await renderInApp(<ThresholdDistribution distribution={fastShare({ threshold: 0.15, betweenThresholds: 1, beyond: 1 })} />, { locale: 'ru' });
    const note = screen.getByRole('note').textContent ?? '';
    expect(note).toMatch(/Между опубликованным порогом \(5\s%\) и новым \(15\s%\) лежит 1 объект\./u);
    expect(note).toContain('Без значения за период: 2.');
  });

  it('says nothing of a move when the threshold is the published one', async () => {
    await renderInApp(<ThresholdDistribution distribution={fastShare({ threshold: 0.05, betweenThresholds: 0 })} />, { locale: 'en' });
    expect(screen.getByRole('note').textContent).toContain('Same as the published version.');
  });
});

describe('bins of the distribution', () => {
  it('spans the values and both thresholds, counts every subject, and colours the bars beyond the threshold', () => {
    const bins = binsOf(fastShare());
    expect(bins).toHaveLength(40);
    expect(bins[0]?.from).toBe(0);
    expect(bins.at(-1)?.to).toBeCloseTo(0.2);
    expect(bins.reduce((n, b) => n + b.subjects, 0)).toBe(6);
    expect(bins.filter((b) => b.beyond && b.subjects > 0).reduce((n, b) => n + b.subjects, 0)).toBe(2);
  });

  it('gives whole-number facts one bar per value and weighs a sample by the count it stands for', () => {
    const counts = binsOf(fastShare({ unit: 'count', values: [0, 1, 1, 3], count: 4, threshold: 2, publishedThreshold: null, inclusive: false }));
    expect(counts.map((b) => [b.mid, b.subjects, b.beyond])).toEqual([
      [0, 1, false],
      [1, 2, false],
      [2, 0, false],
      [3, 1, true],
    ]);
    // Every officer at a share of 0 and the threshold moved to 0: still a share, spread to the published 5 %.
    const zeros = binsOf(fastShare({ values: [0, 0, 0], count: 3, threshold: 0, publishedThreshold: 0.05 }));
    expect(zeros).toHaveLength(40);
    expect(zeros[0]).toMatchObject({ from: 0, subjects: 3, beyond: true });
    expect(zeros.at(-1)?.to).toBeCloseTo(0.05);
    const sampled = binsOf(fastShare({ values: [0, 0.1, 0.2], count: 3000, sampled: true, publishedThreshold: null }));
    expect(sampled.reduce((n, b) => n + b.subjects, 0)).toBe(3000);
  });
});
