import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { LOCALES, placeEndpoints, type DistrictNames, type Locale, type PublicDistricts, type PublicFigures, type PublicStats } from '@qadaga/contracts/api';
import { call } from '../../api/call.js';
import { buildUrl } from '../../api/client.js';
import { DataState } from '../../components/DataState.js';
import { BoundaryMap, boundaryNames, useDistrictBoundaries } from '../../components/map/BoundaryMap.js';
import { districtName } from '../../components/map/district-name.js';
import { changeLanguage } from '../../i18n/i18n.js';
import { useFormat } from '../../format/format.js';
import { citySentence, figuresOf, measureOf, PUBLIC_MEASURES, scaleRange, sumShown, type PublicMeasure } from './public-figures.js';

const LANGUAGE_KEYS: Record<Locale, string> = { ru: 'language.ru', kk: 'language.kk', en: 'language.en' };
const MEASURE_KEYS: Record<PublicMeasure, string> = {
  violationsPer1000: 'public.measure.violationsPer1000',
  cancellationsPer1000: 'public.measure.cancellationsPer1000',
  violations: 'public.measure.violations',
  cancellations: 'public.measure.cancellations',
  detections: 'public.measure.detections',
};

/** Open data with no sign-in: a map of the city's districts, the trend beside it, and every figure downloadable with its method. */
export function PublicPage() {
  const { t, i18n } = useTranslation();
  // Undefined asks for the server's default: the quarter of today.
  const [quarter, setQuarter] = useState<string | undefined>(undefined);
  const query = quarter === undefined ? {} : { quarter };
  const stats = useQuery({
    queryKey: ['public', quarter],
    queryFn: () => call(placeEndpoints.publicStats, { query, anonymous: true }),
    placeholderData: (previous) => previous,
  });
  const boundaries = useDistrictBoundaries();
  return (
    <main className="public-page">
      <header className="filters">
        <h1>{t('public.title')}</h1>
        <span className="spacer" />
        <label>
          {t('language.label')}{' '}
          <select value={i18n.language} onChange={(e) => void changeLanguage(e.target.value as Locale)}>
            {LOCALES.map((l) => (
              <option key={l} value={l}>
                {t(LANGUAGE_KEYS[l])}
              </option>
            ))}
          </select>
        </label>
      </header>
      <p className="muted">{t('public.intro')}</p>
      <DataState query={stats} isEmpty={(s) => s.weeks.length === 0}>
        {(s) => <PublicStatsView key={s.quarter} stats={s} boundaries={boundaries} onQuarter={setQuarter} />}
      </DataState>
    </main>
  );
}

interface ViewProps {
  stats: PublicStats;
  /** The boundaries; null while they load (the table still shows every figure). */
  boundaries: PublicDistricts | null;
  onQuarter(quarter: string): void;
}

export function PublicStatsView({ stats, boundaries, onQuarter }: ViewProps) {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const [measure, setMeasure] = useState<PublicMeasure>('violationsPer1000');
  // 0 is the whole period; 1..n the n-th week.
  const [weekIndex, setWeekIndex] = useState(0);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [cameraIds, setCameraIds] = useState<string[] | null>(null);
  const week = weekIndex === 0 ? null : (stats.weeks[weekIndex - 1] ?? null);
  const byDistrict = useMemo(() => new Map(stats.districts.map((d) => [d.district ?? '', d])), [stats]);
  const { min, max } = scaleRange(stats, measure, week === null);
  const value = (figures: PublicFigures | null) => {
    const v = measureOf(figures, measure);
    return v === null ? t('public.withheld') : f.number(v, measure.endsWith('Per1000') ? 1 : 0);
  };
  const nameOf = (key: string | null, names: DistrictNames | null) => districtName(names, key, i18n.language, t('public.unplaced'));
  const featureName = (id: string) => {
    return nameOf(id, boundaryNames(boundaries, id, byDistrict.get(id)?.name ?? null));
  };
  const describeDistrict = (id: string) => `${featureName(id)}: ${t(MEASURE_KEYS[measure])} ${value(figuresOf(byDistrict.get(id), week))}`;
  const cameras = new Map(stats.cameras.map((c) => [c.cameraId, c]));
  const points = stats.cameras.flatMap((c) => {
    const detections = measureOf(figuresOf(c, week), 'detections');
    return c.position === null ? [] : [{ id: c.cameraId, lat: c.position.lat, lon: c.position.lon, weight: detections ?? 1 }];
  });
  const describeCameras = (ids: string[]) => {
    const totals = sumShown(ids.map((id) => figuresOf(cameras.get(id), week)), 'violations');
    return t('public.cluster', { count: ids.length, violations: f.number(totals.shown, 0), withheld: totals.withheld });
  };
  const trend = stats.city.weeks.map((w) => ({ week: w.week, label: f.date(w.week), value: measureOf(w, measure) }));
  const downloads = (path: string) => buildUrl(path, { quarter: stats.quarter });
  const weekLabel = week === null ? t('public.wholeQuarter') : t('public.weekOf', { week: f.date(week) });
  const cityFigures = figuresOf(stats.city, week);
  const shown = (v: number | null | undefined, digits: number) => (v === null || v === undefined ? t('public.withheld') : f.number(v, digits));

  return (
    <>
      <form className="filters public-controls" aria-label={t('public.view')} onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('public.quarterLabel')}
          <select value={stats.quarter} onChange={(e) => onQuarter(e.target.value)}>
            {(stats.quarters.includes(stats.quarter) ? stats.quarters : [stats.quarter, ...stats.quarters]).map((q) => (
              <option key={q} value={q}>
                {t('public.quarter', { year: q.slice(0, 4), n: q.slice(-1) })}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('public.measureLabel')}
          <select value={measure} onChange={(e) => setMeasure(e.target.value as PublicMeasure)}>
            {PUBLIC_MEASURES.map((m) => (
              <option key={m} value={m}>
                {t(MEASURE_KEYS[m])}
              </option>
            ))}
          </select>
        </label>
        <label className="week-slider">
          {t('public.weekLabel')}
          <input
            type="range"
            min={0}
            max={stats.weeks.length}
            step={1}
            value={weekIndex}
            onChange={(e) => setWeekIndex(Number(e.target.value))}
            aria-valuetext={weekLabel}
          />
          <output>{weekLabel}</output>
        </label>
      </form>
      <p className="public-city" role="status">
        {citySentence(cityFigures, weekLabel, (key, values) => t(key, values), (v, digits) => f.number(v, digits))}
      </p>
      <div className="public-layout">
        <BoundaryMap
          boundaries={boundaries}
          title={t('public.mapTitle', { measure: t(MEASURE_KEYS[measure]), period: weekLabel })}
          value={(id) => measureOf(figuresOf(byDistrict.get(id), week), measure)}
          min={min}
          max={max}
          name={featureName}
          describe={describeDistrict}
          selected={selected}
          onSelect={(id) => {
            setSelected(id === selected ? undefined : id);
            setCameraIds(null);
          }}
          points={points}
          onPoints={setCameraIds}
          describePoints={describeCameras}
          legend={{ low: f.number(min, measure.endsWith('Per1000') ? 1 : 0), high: f.number(max, measure.endsWith('Per1000') ? 1 : 0), withheld: t('public.withheldLegend') }}
        />
        <aside className="public-side">
          <figure className="chart">
            <figcaption>{t('public.trendTitle', { measure: t(MEASURE_KEYS[measure]) })}</figcaption>
            <ResponsiveContainer width="100%" height={220}>
              <LineChart data={trend} margin={{ left: 0, right: 12, top: 8, bottom: 0 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="label" tick={{ fontSize: 11 }} interval="preserveStartEnd" />
                <YAxis tick={{ fontSize: 11 }} width={44} />
                <Tooltip />
                {week !== null && <ReferenceLine x={f.date(week)} stroke="#14324f" strokeDasharray="4 2" />}
                <Line dataKey="value" name={t(MEASURE_KEYS[measure])} stroke="#c0392b" dot={false} connectNulls={false} isAnimationActive={false} />
              </LineChart>
            </ResponsiveContainer>
            <p className="muted">{t('public.trendHelp')}</p>
          </figure>
          {selected !== undefined && byDistrict.has(selected) && <PlaceFigures title={featureName(selected)} figures={figuresOf(byDistrict.get(selected), week)} />}
          {cameraIds !== null && (
            <section className="card" aria-label={t('public.camerasTitle')}>
              <h2>{t('public.camerasTitle')}</h2>
              <table className="grid compact">
                <thead>
                  <tr>
                    <th scope="col">{t('public.camera')}</th>
                    <th scope="col" className="num">{t('public.measure.detections')}</th>
                    <th scope="col" className="num">{t('public.measure.violations')}</th>
                    <th scope="col" className="num">{t('public.measure.cancellations')}</th>
                  </tr>
                </thead>
                <tbody>
                  {cameraIds.map((id) => {
                    const c = figuresOf(cameras.get(id), week);
                    return (
                      <tr key={id}>
                        <td>{id}</td>
                        <td className="num">{shown(c?.detections, 0)}</td>
                        <td className="num">{shown(c?.violations, 0)}</td>
                        <td className="num">{shown(c?.cancellations, 0)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </section>
          )}
        </aside>
      </div>
      <section aria-labelledby="public-districts">
        <h2 id="public-districts">{t('public.byDistrict', { period: weekLabel })}</h2>
        <div className="table-scroll">
          <table className="grid compact">
            <thead>
              <tr>
                <th scope="col">{t('public.district')}</th>
                {PUBLIC_MEASURES.map((m) => (
                  <th key={m} scope="col" className="num">
                    {t(MEASURE_KEYS[m])}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {stats.districts.map((d) => {
                const figures = figuresOf(d, week);
                return (
                  <tr key={d.district ?? '-'} className={d.district === selected ? 'active' : undefined}>
                    <th scope="row">{nameOf(d.district, d.name)}</th>
                    {PUBLIC_MEASURES.map((m) => {
                      const v = measureOf(figures, m);
                      return (
                        <td key={m} className="num">
                          {v === null ? t('public.withheld') : f.number(v, m.endsWith('Per1000') ? 1 : 0)}
                        </td>
                      );
                    })}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <p className="muted">{t('public.withheldHelp', { min: stats.minCellCount })}</p>
      </section>
      <section aria-labelledby="public-method" className="public-method">
        <h2 id="public-method">{t('public.methodTitle')}</h2>
        <p>
          {t('public.download')}{' '}
          <a href={downloads(placeEndpoints.publicStatsCsv.path)} download>
            CSV
          </a>{' '}
          ·{' '}
          <a href={downloads(placeEndpoints.publicStatsGeojson.path)} download>
            GeoJSON
          </a>
        </p>
        <MethodList method={stats.method} />
      </section>
    </>
  );
}

function PlaceFigures({ title, figures }: { title: string; figures: PublicFigures | null }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <section className="card" aria-label={title}>
      <h2>{title}</h2>
      <dl className="meta">
        {PUBLIC_MEASURES.map((m) => {
          const v = measureOf(figures, m);
          return (
            <div key={m} style={{ display: 'contents' }}>
              <dt>{t(MEASURE_KEYS[m])}</dt>
              <dd>{v === null ? t('public.withheld') : f.number(v, m.endsWith('Per1000') ? 1 : 0)}</dd>
            </div>
          );
        })}
      </dl>
    </section>
  );
}

/**
 * How the figures are made, in the reader's language: the definitions are the product's
 * own and translated here; the minimum, the sources and the time of computing come from
 * the server with the figures they describe.
 */
function MethodList({ method }: { method: PublicStats['method'] }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <dl className="meta">
      <dt>{t('public.method.detectionsTerm')}</dt>
      <dd>{t('public.method.detections')}</dd>
      <dt>{t('public.method.violationsTerm')}</dt>
      <dd>{t('public.method.violations')}</dd>
      <dt>{t('public.method.cancellationsTerm')}</dt>
      <dd>{t('public.method.cancellations')}</dd>
      <dt>{t('public.method.weeksTerm')}</dt>
      <dd>{t('public.method.weeks')}</dd>
      <dt>{t('public.method.districtsTerm')}</dt>
      <dd>{t('public.method.districts')}</dd>
      <dt>{t('public.method.suppressionTerm')}</dt>
      <dd>{t('public.method.suppression', { min: method.minCellCount })}</dd>
      <dt>{t('public.method.rulesTerm')}</dt>
      <dd>{method.ruleVersions.length === 0 ? t('public.method.noRules') : method.ruleVersions.map((r) => `${r.ruleId} v${r.version}`).join(', ')}</dd>
      <dt>{t('public.method.coveredTerm')}</dt>
      <dd>{method.sources.covered.map((s) => s.name).join(', ') || '—'}</dd>
      <dt>{t('public.method.notCoveredTerm')}</dt>
      <dd>{method.sources.notCovered.map((s) => `${s.name} (${s.reason})`).join('; ') || '—'}</dd>
      <dt>{t('public.method.computedAtTerm')}</dt>
      <dd>{t('public.method.computedAt', { at: f.dateTime(method.computedAt) })}</dd>
    </dl>
  );
}
