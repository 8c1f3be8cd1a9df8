import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DateField } from '../../components/DateField.js';
import { placeEndpoints, type PlacesView as Places } from '@qadaga/contracts/api';
import { call } from '../../api/call.js';
import { DataState } from '../../components/DataState.js';
import { startOfLocalDay, useFormat } from '../../format/format.js';
import { fitProjection, heat } from './projection.js';

const DAY_MS = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);
type Measure = 'violations' | 'cancellations';

export function PlacesPage() {
  const { t } = useTranslation();
  const [range, setRange] = useState(() => ({ from: isoDay(new Date(Date.now() - 365 * DAY_MS)), to: isoDay(new Date(Date.now() + DAY_MS)) }));
  const [district, setDistrict] = useState('');
  const [measure, setMeasure] = useState<Measure>('violations');
  const places = useQuery({
    queryKey: ['places', range, district],
    queryFn: () => call(placeEndpoints.list, { query: { from: startOfLocalDay(range.from), to: startOfLocalDay(range.to), district } }),
    placeholderData: (previous) => previous,
  });
  return (
    <section>
      <h1>{t('places.title')}</h1>
      <form className="filters" aria-label={t('queue.filters')} onSubmit={(e) => e.preventDefault()}>
        <DateField label={t('queue.filter.from')} value={range.from} onChange={(day) => setRange((r) => ({ ...r, from: day }))} />
        <DateField label={t('queue.filter.to')} value={range.to} onChange={(day) => setRange((r) => ({ ...r, to: day }))} />
        <label>
          {t('places.measure')}
          <select value={measure} onChange={(e) => setMeasure(e.target.value as Measure)}>
            <option value="violations">{t('places.violations')}</option>
            <option value="cancellations">{t('places.cancellations')}</option>
          </select>
        </label>
        {district !== '' && (
          <button type="button" onClick={() => setDistrict('')}>
            {t('places.allDistricts')}
          </button>
        )}
      </form>
      <DataState query={places} isEmpty={(d) => d.districts.length === 0 && d.grid.cells.length === 0}>
        {(view) => <PlacesView view={view} measure={measure} selected={district} onDistrict={setDistrict} />}
      </DataState>
    </section>
  );
}

export function PlacesView({ view, measure, selected, onDistrict }: { view: Places; measure: Measure; selected: string; onDistrict(d: string): void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const box = { width: 760, height: 560, padding: 12 };
  const project = fitProjection(view.grid.cells, view.grid.cellDegrees, box);
  const max = Math.max(0, ...view.grid.cells.map((c) => c[measure]));
  const maxDistrict = Math.max(1, ...view.districts.map((d) => d[measure]));
  return (
    <div className="two-columns">
      <figure className="chart">
        <figcaption>{t('places.map', { count: view.grid.cells.length })}</figcaption>
        {project === null ? (
          <p className="muted">{t('places.noCells')}</p>
        ) : (
          <svg className="map" viewBox={`0 0 ${box.width} ${box.height}`} role="img" aria-label={t('places.mapLabel')} width="100%">
            {view.grid.cells.map((c) => {
              const p = project(c);
              return (
                <rect key={`${c.lat},${c.lon}`} x={p.x} y={p.y} width={Math.max(1, p.width)} height={Math.max(1, p.height)} fill={heat(c[measure], max)}>
                  <title>{`${c.lat.toFixed(3)}, ${c.lon.toFixed(3)}: ${t('places.violations')} ${c.violations}, ${t('places.cancellations')} ${c.cancellations}`}</title>
                </rect>
              );
            })}
          </svg>
        )}
        <p className="muted">{t('places.legend', { max: f.number(max, 0) })}</p>
      </figure>
      <section aria-labelledby="districts-heading">
        <h2 id="districts-heading">{t('places.districts')}</h2>
        <table className="grid compact" aria-label={t('places.districts')}>
          <thead>
            <tr>
              <th scope="col">{t('queue.filter.district')}</th>
              <th scope="col">{t('places.violations')}</th>
              <th scope="col">{t('places.cancellations')}</th>
              <th scope="col">{t('places.openFlags')}</th>
              <th scope="col" aria-label={t('places.bar')} />
            </tr>
          </thead>
          <tbody>
            {view.districts.map((d) => (
              <tr key={d.district} aria-current={selected === d.district ? 'true' : undefined}>
                <td>
                  <button type="button" className="link" onClick={() => onDistrict(d.district)}>
                    {d.district}
                  </button>
                </td>
                <td className="num">{f.number(d.violations, 0)}</td>
                <td className="num">{f.number(d.cancellations, 0)}</td>
                <td className="num">{f.number(d.openFlags, 0)}</td>
                <td>
                  <svg width="120" height="10" aria-hidden="true">
                    <rect width={(120 * d[measure]) / maxDistrict} height="10" fill={heat(d[measure], maxDistrict)} />
                  </svg>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
