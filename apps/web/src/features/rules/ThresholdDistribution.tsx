import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { FactDistribution } from '@qadaga/contracts/api';
import { useFormat } from '../../format/format.js';
import { axisValue, factLabel, valueInWords } from '../flags/display-values.js';

const BEYOND = '#c0392b';
const WITHIN = '#95a5a6';
const LIMIT = '#e67e22';
const PUBLISHED = '#2c3e50';
/** Units counted in whole steps, drawn one bar per value when the span is short. */
const WHOLE_UNITS: ReadonlySet<FactDistribution['unit']> = new Set(['count', 'days', 'hours', 'amount']);
/** At most this many bars: enough to see a shape, few enough to read. */
const MAX_BINS = 40;

export interface Bin {
  from: number;
  to: number;
  mid: number;
  /** Subjects in the bin; estimated from an even sample when the distribution was sampled. */
  subjects: number;
  beyond: boolean;
}

/**
 * The values as bars of equal width over the span of the values and both thresholds, so the
 * threshold lines always fall on the axis. Whole-number units get one bar per value where
 * that is 40 bars or fewer. A sampled distribution weighs each value by count / sample size.
 */
export function binsOf(d: FactDistribution): Bin[] {
  if (d.values.length === 0) return [];
  const points = [...d.values, d.threshold, ...(d.publishedThreshold === null ? [] : [d.publishedThreshold])];
  let lo = Math.min(...points);
  let hi = Math.max(...points);
  // Whole units only: a share whose values are all 0 is still a share, spread over its own range.
  const integral = WHOLE_UNITS.has(d.unit) && points.every(Number.isInteger);
  let width: number;
  let count: number;
  if (integral && hi - lo + 1 <= MAX_BINS) {
    lo -= 0.5;
    hi += 0.5;
    count = Math.max(1, Math.round(hi - lo));
    width = 1;
  } else {
    if (hi === lo) hi = lo + 1;
    count = MAX_BINS;
    width = (hi - lo) / count;
  }
  const weight = d.values.length === 0 ? 0 : d.count / d.values.length;
  const bins: Bin[] = Array.from({ length: count }, (_, i) => {
    const from = lo + i * width;
    return { from, to: from + width, mid: from + width / 2, subjects: 0, beyond: false };
  });
  for (const v of d.values) {
    const i = Math.min(count - 1, Math.max(0, Math.floor((v - lo) / width)));
    (bins[i] as Bin).subjects += weight;
  }
  for (const b of bins) {
    b.subjects = d.sampled ? Math.round(b.subjects) : b.subjects;
    b.beyond = d.direction === 'above' ? (d.inclusive ? b.mid >= d.threshold : b.mid > d.threshold) : d.inclusive ? b.mid <= d.threshold : b.mid < d.threshold;
  }
  return bins;
}

/** The index of the bin a value falls in (the bins span every threshold): where its line is drawn. */
export function binAt(bins: readonly Bin[], value: number): number {
  const i = bins.findIndex((b) => value >= b.from && value < b.to);
  return i === -1 ? bins.length - 1 : i;
}

/**
 * Beside a threshold parameter: where the judged subjects lie on its fact, the draft's
 * threshold as a line (and the published one, dashed, when it differs), and in words how
 * many lie beyond it and how many lie between the published threshold and this one, so a
 * move that changes nothing says why.
 */
export function ThresholdDistribution({ distribution: d }: { distribution: FactDistribution }) {
  const { t } = useTranslation();
  const f = useFormat();
  const label = factLabel(d.fact, t);
  const value = (v: number) => valueInWords(v, d.unit, f, t);
  const bins = binsOf(d);
  const moved = d.publishedThreshold !== null && d.publishedThreshold !== d.threshold;
  const side = t(d.direction === 'above' ? 'rules.why.above' : 'rules.why.below');
  return (
    <figure className="chart threshold-distribution" aria-label={t('rules.why.chart', { fact: label })}>
      <figcaption>
        <strong>{label}</strong>: {t('rules.why.caption', { count: d.count, threshold: value(d.threshold) })}
      </figcaption>
      {bins.length > 0 && (
        <ResponsiveContainer width="100%" height={160}>
          <BarChart data={bins.map((b, index) => ({ ...b, index }))} margin={{ top: 18, right: 16, left: 0, bottom: 4 }} barCategoryGap={0}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="index" interval="preserveStartEnd" minTickGap={24} tickFormatter={(i: number) => axisValue(bins[i]?.from ?? 0, d.unit, f)} />
            <YAxis allowDecimals={false} width={36} />
            <Tooltip
              labelFormatter={(_, payload) => {
                const bin = payload?.[0]?.payload as Bin | undefined;
                return bin === undefined ? '' : `${axisValue(bin.from, d.unit, f)} – ${axisValue(bin.to, d.unit, f)}`;
              }}
              formatter={(v) => [f.number(Number(v), 0), t('rules.why.subjects')]}
            />
            {/* A bin with a subject or two still shows beside one that holds a hundred. */}
            <Bar dataKey="subjects" isAnimationActive={false} minPointSize={(v) => (Number(v) > 0 ? 2 : 0)}>
              {bins.map((b) => (
                <Cell key={b.from} fill={b.beyond ? BEYOND : WITHIN} />
              ))}
            </Bar>
            {moved && (
              <ReferenceLine
                x={binAt(bins, d.publishedThreshold as number)}
                stroke={PUBLISHED}
                strokeDasharray="3 3"
                label={{ value: t('rules.why.publishedLine', { value: axisValue(d.publishedThreshold as number, d.unit, f) }), position: 'insideTopRight', fill: PUBLISHED, fontSize: 11 }}
              />
            )}
            <ReferenceLine
              x={binAt(bins, d.threshold)}
              stroke={LIMIT}
              strokeWidth={2}
              label={{ value: t('rules.why.thresholdLine', { value: axisValue(d.threshold, d.unit, f) }), position: 'top', fill: LIMIT, fontSize: 11 }}
            />
          </BarChart>
        </ResponsiveContainer>
      )}
      <p className="why-text" role="note">
        {t('rules.why.beyond', { count: d.beyond, total: d.count, side, threshold: value(d.threshold) })}{' '}
        {moved &&
          (d.betweenThresholds === 0
            ? t('rules.why.noneBetween', { from: value(d.publishedThreshold as number), to: value(d.threshold) })
            : t('rules.why.between', { count: d.betweenThresholds ?? 0, from: value(d.publishedThreshold as number), to: value(d.threshold) }))}
        {d.publishedThreshold !== null && !moved && t('rules.why.samePublished')}
        {d.withoutValue > 0 && <> {t('rules.why.withoutValue', { count: d.withoutValue })}</>}
        {d.sampled && <> {t('rules.why.sampled', { count: d.values.length })}</>}
      </p>
    </figure>
  );
}
