import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DateField } from '../../components/DateField.js';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { placeEndpoints, type PublicCell, type PublicStats } from '@qadaga/contracts/api';
import { call } from '../../api/call.js';
import { LOCALES, type Locale } from '@qadaga/contracts/api';
import { DataState } from '../../components/DataState.js';
import { changeLanguage } from '../../i18n/i18n.js';
import { startOfLocalDay, useFormat } from '../../format/format.js';

const DAY_MS = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const LANGUAGE_KEYS: Record<Locale, string> = { ru: 'language.ru', kk: 'language.kk', en: 'language.en' };
const COLOURS = ['#2c7fb8', '#c0392b', '#27ae60', '#d68910', '#8e44ad', '#16a085', '#e67e22', '#7f8c8d', '#34495e', '#f1c40f'];

/** Open data with no sign-in: counts per week by district and camera, every small cell withheld by the server. */
export function PublicPage() {
  const { t, i18n } = useTranslation();
  const [range, setRange] = useState(() => ({ from: isoDay(new Date(Date.now() - 365 * DAY_MS)), to: isoDay(new Date(Date.now() + DAY_MS)) }));
  const stats = useQuery({
    queryKey: ['public', range],
    queryFn: () => call(placeEndpoints.publicStats, { query: { from: startOfLocalDay(range.from), to: startOfLocalDay(range.to) }, anonymous: true }),
    placeholderData: (previous) => previous,
  });
  return (
    <main>
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
      <form className="filters" aria-label={t('queue.filters')} onSubmit={(e) => e.preventDefault()}>
        <DateField label={t('queue.filter.from')} value={range.from} onChange={(day) => setRange((r) => ({ ...r, from: day }))} />
        <DateField label={t('queue.filter.to')} value={range.to} onChange={(day) => setRange((r) => ({ ...r, to: day }))} />
      </form>
      <DataState query={stats} isEmpty={(s) => s.byDistrict.length === 0 && s.byCamera.length === 0}>
        {(s) => <PublicStatsView stats={s} />}
      </DataState>
    </main>
  );
}

function useCell() {
  const { t } = useTranslation();
  const f = useFormat();
  return (cell: PublicCell, min: number) => (cell.suppressed || cell.count === null ? t('public.suppressed', { min }) : f.number(cell.count, 0));
}

export function PublicStatsView({ stats }: { stats: PublicStats }) {
  const { t } = useTranslation();
  const f = useFormat();
  const cell = useCell();
  const weeks = [...new Set([...stats.byDistrict.map((r) => r.week), ...stats.byCamera.map((r) => r.week)])].sort();
  const districts = [...new Set(stats.byDistrict.map((r) => r.district ?? '—'))].sort();
  const byKey = new Map(stats.byDistrict.map((r) => [`${r.district ?? '—'}|${r.week}`, r]));
  // Withheld cells are gaps in the lines, never zeros.
  const series = weeks.map((week) => ({
    week: f.date(week),
    ...Object.fromEntries(districts.map((d) => [d, byKey.get(`${d}|${week}`)?.violations.count ?? null])),
  }));
  const lastWeek = weeks.at(-1);
  return (
    <>
      <p role="note">{t('public.minimum', { min: stats.minCellCount })}</p>
      <figure className="chart" aria-label={t('public.chart')}>
        <figcaption>{t('public.chart')}</figcaption>
        <ResponsiveContainer width="100%" height={300}>
          <LineChart data={series}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="week" />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
            {districts.map((d, i) => (
              <Line key={d} dataKey={d} stroke={COLOURS[i % COLOURS.length]} dot={false} connectNulls={false} isAnimationActive={false} />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </figure>
      <section aria-labelledby="public-districts">
        <h2 id="public-districts">{t('public.byDistrict')}</h2>
        <div style={{ overflowX: 'auto' }}>
          <table className="grid compact" aria-label={t('public.byDistrict')}>
            <thead>
              <tr>
                <th scope="col">{t('public.week')}</th>
                {districts.map((d) => (
                  <th key={d} scope="col">
                    {d}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {weeks.map((w) => (
                <tr key={w}>
                  <th scope="row">{f.date(w)}</th>
                  {districts.map((d) => {
                    const r = byKey.get(`${d}|${w}`);
                    return (
                      <td key={d} className="num">
                        {r === undefined ? '—' : `${cell(r.violations, stats.minCellCount)} / ${cell(r.cancellations, stats.minCellCount)}`}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="muted">{t('public.cellHelp')}</p>
      </section>
      {lastWeek !== undefined && (
        <section aria-labelledby="public-cameras">
          <h2 id="public-cameras">{t('public.byCamera', { week: f.date(lastWeek) })}</h2>
          <table className="grid compact" aria-label={t('public.byCameraTable')}>
            <thead>
              <tr>
                <th scope="col">{t('public.camera')}</th>
                <th scope="col">{t('places.violations')}</th>
                <th scope="col">{t('places.cancellations')}</th>
              </tr>
            </thead>
            <tbody>
              {stats.byCamera
                .filter((r) => r.week === lastWeek)
                .map((r) => (
                  <tr key={r.cameraId}>
                    <td>{r.cameraId}</td>
                    <td className="num">{cell(r.violations, stats.minCellCount)}</td>
                    <td className="num">{cell(r.cancellations, stats.minCellCount)}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}
