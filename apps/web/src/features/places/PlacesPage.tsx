import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { placeEndpoints, type PlacesView as Places, type PublicDistricts } from '@qadaga/contracts/api';
import { call } from '../../api/call.js';
import { DataState } from '../../components/DataState.js';
import { DateField } from '../../components/DateField.js';
import { BoundaryMap, boundaryNames, useDistrictBoundaries } from '../../components/map/BoundaryMap.js';
import { startOfLocalDay, useFormat } from '../../format/format.js';
import { districtName } from '../../components/map/district-name.js';

const DAY_MS = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const PLACE_MEASURES = ['cancellationRate', 'openFlags', 'cancellations', 'violations'] as const;
type PlaceMeasure = (typeof PLACE_MEASURES)[number];
const MEASURE_KEYS: Record<PlaceMeasure, string> = {
  cancellationRate: 'places.measures.cancellationRate',
  openFlags: 'places.measures.openFlags',
  cancellations: 'places.measures.cancellations',
  violations: 'places.measures.violations',
};
/** Cameras listed beside the map: the highest cancellation rates among those with enough violations to mean something. */
const CAMERAS_LISTED = 15;
const CAMERA_MIN_VIOLATIONS = 20;

/** The queue of the open flags a district, or one camera, counts (the queue's default status is the open ones). */
export const queueOfDistrict = (district: string) => `/flags?${new URLSearchParams({ district }).toString()}`;
export const queueOfCamera = (camera: string) => `/flags?${new URLSearchParams({ camera }).toString()}`;

export function PlacesPage() {
  const { t } = useTranslation();
  const [range, setRange] = useState(() => ({ from: isoDay(new Date(Date.now() - 365 * DAY_MS)), to: isoDay(new Date(Date.now() + DAY_MS)) }));
  const places = useQuery({
    queryKey: ['places', range],
    queryFn: () => call(placeEndpoints.list, { query: { from: startOfLocalDay(range.from), to: startOfLocalDay(range.to) } }),
    placeholderData: (previous) => previous,
  });
  const boundaries = useDistrictBoundaries();
  return (
    <section>
      <h1>{t('places.title')}</h1>
      <p className="muted">{t('places.intro')}</p>
      <form className="filters" aria-label={t('queue.filters')} onSubmit={(e) => e.preventDefault()}>
        <DateField label={t('queue.filter.from')} value={range.from} onChange={(day) => setRange((r) => ({ ...r, from: day }))} />
        <DateField label={t('queue.filter.to')} value={range.to} onChange={(day) => setRange((r) => ({ ...r, to: day }))} />
      </form>
      <DataState query={places} isEmpty={(d) => d.districts.length === 0 && d.cameras.length === 0}>
        {(view) => <PlacesView view={view} boundaries={boundaries} />}
      </DataState>
    </section>
  );
}

export function PlacesView({ view, boundaries }: { view: Places; boundaries: PublicDistricts | null }) {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const navigate = useNavigate();
  const [measure, setMeasure] = useState<PlaceMeasure>('cancellationRate');
  const [cameraIds, setCameraIds] = useState<string[] | null>(null);
  const byDistrict = new Map(view.districts.map((d) => [d.district, d]));
  const cameras = new Map(view.cameras.map((c) => [c.cameraId, c]));
  const figure = (m: PlaceMeasure, v: number | null) => (v === null ? '—' : m === 'cancellationRate' ? f.percent(v) : f.number(v, 0));
  const shown = view.districts.flatMap((d) => (d[measure] === null ? [] : [d[measure]]));
  const max = Math.max(0, ...shown);
  const min = shown.length === 0 ? 0 : Math.min(...shown);
  const nameOf = (id: string) => {
    return districtName(boundaryNames(boundaries, id, byDistrict.get(id)?.name ?? null), id, i18n.language, id);
  };
  const describe = (id: string) => {
    const d = byDistrict.get(id);
    if (d === undefined) return `${nameOf(id)}: ${t('places.noData')}`;
    return t('places.districtSentence', {
      name: nameOf(id),
      violations: f.number(d.violations, 0),
      cancellations: f.number(d.cancellations, 0),
      rate: figure('cancellationRate', d.cancellationRate),
      cityRate: figure('cancellationRate', view.city.cancellationRate),
      openFlags: f.number(d.openFlags, 0),
    });
  };
  const points = view.cameras.flatMap((c) => (c.position === null ? [] : [{ id: c.cameraId, lat: c.position.lat, lon: c.position.lon, weight: Math.max(1, c.violations) }]));
  const openCameras = (ids: string[]) => {
    const [only] = ids;
    if (ids.length === 1 && only !== undefined) navigate(queueOfCamera(only));
    else setCameraIds(ids);
  };
  const listed = [...view.cameras]
    .filter((c) => c.violations >= CAMERA_MIN_VIOLATIONS)
    .sort((a, b) => (b.cancellationRate ?? 0) - (a.cancellationRate ?? 0) || b.openFlags - a.openFlags)
    .slice(0, CAMERAS_LISTED);

  return (
    <>
      <p className="public-city" role="status">
        {t('places.citySentence', {
          violations: f.number(view.city.violations, 0),
          cancellations: f.number(view.city.cancellations, 0),
          rate: figure('cancellationRate', view.city.cancellationRate),
          openFlags: f.number(view.city.openFlags, 0),
        })}
      </p>
      <form className="filters" aria-label={t('places.view')} onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('places.measure')}
          <select value={measure} onChange={(e) => setMeasure(e.target.value as PlaceMeasure)}>
            {PLACE_MEASURES.map((m) => (
              <option key={m} value={m}>
                {t(MEASURE_KEYS[m])}
              </option>
            ))}
          </select>
        </label>
        <span className="muted">{t('places.clickHelp')}</span>
      </form>
      <p className="muted" id="places-flags-rule">
        {t('places.flagsRule')}
      </p>
      <div className="public-layout">
        <BoundaryMap
          boundaries={boundaries}
          title={t('places.mapTitle', { measure: t(MEASURE_KEYS[measure]) })}
          value={(id) => byDistrict.get(id)?.[measure] ?? null}
          min={min}
          max={max}
          name={nameOf}
          describe={describe}
          onSelect={(id) => navigate(queueOfDistrict(id))}
          points={points}
          onPoints={openCameras}
          describePoints={(ids) =>
            ids.length === 1
              ? t('places.cameraSentence', {
                  camera: ids[0],
                  violations: f.number(cameras.get(ids[0] ?? '')?.violations ?? 0, 0),
                  rate: figure('cancellationRate', cameras.get(ids[0] ?? '')?.cancellationRate ?? null),
                  openFlags: f.number(cameras.get(ids[0] ?? '')?.openFlags ?? 0, 0),
                })
              : t('places.clusterSentence', { count: ids.length })
          }
          legend={{ low: figure(measure, min), high: figure(measure, max), withheld: t('places.noDataLegend') }}
        />
        <aside className="public-side">
          {cameraIds !== null && <CameraTable title={t('places.clusterTitle')} rows={cameraIds.flatMap((id) => cameras.get(id) ?? [])} city={view.city.cancellationRate} />}
          <CameraTable title={t('places.camerasTitle', { min: CAMERA_MIN_VIOLATIONS })} rows={listed} city={view.city.cancellationRate} />
        </aside>
      </div>
      <section aria-labelledby="districts-heading">
        <h2 id="districts-heading">{t('places.districts')}</h2>
        <div className="table-scroll">
          <table className="grid compact">
            <thead>
              <tr>
                <th scope="col">{t('public.district')}</th>
                <th scope="col" className="num">{t('places.measures.violations')}</th>
                <th scope="col" className="num">{t('places.measures.cancellations')}</th>
                <th scope="col" className="num">{t('places.measures.cancellationRate')}</th>
                <th scope="col" className="num">{t('places.measures.openFlags')}</th>
              </tr>
            </thead>
            <tbody>
              {view.districts.map((d) => (
                <tr key={d.district}>
                  <th scope="row">
                    <Link to={queueOfDistrict(d.district)}>{nameOf(d.district)}</Link>
                  </th>
                  <td className="num">{f.number(d.violations, 0)}</td>
                  <td className="num">{f.number(d.cancellations, 0)}</td>
                  <td className="num">
                    <RateAgainstCity rate={d.cancellationRate} city={view.city.cancellationRate} />
                  </td>
                  <td className="num">{f.number(d.openFlags, 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

/** A rate beside the city's: the difference is what a prosecutor reads, so it is spelled out. */
function RateAgainstCity({ rate, city }: { rate: number | null; city: number | null }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (rate === null) return <>—</>;
  if (city === null || city === 0) return <>{f.percent(rate)}</>;
  const ratio = rate / city;
  return (
    <span className={ratio >= 1.5 ? 'bad' : undefined}>
      {t('places.rateVsCity', { rate: f.percent(rate), ratio: f.number(ratio, 1) })}
    </span>
  );
}

function CameraTable({ title, rows, city }: { title: string; rows: Places['cameras']; city: number | null }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <section className="card" aria-label={title}>
      <h2>{title}</h2>
      {rows.length === 0 ? (
        <p className="muted">{t('places.noCameras')}</p>
      ) : (
        <table className="grid compact">
          <thead>
            <tr>
              <th scope="col">{t('public.camera')}</th>
              <th scope="col" className="num">{t('places.measures.violations')}</th>
              <th scope="col" className="num">{t('places.measures.cancellationRate')}</th>
              <th scope="col" className="num">{t('places.measures.openFlags')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.cameraId}>
                <td>
                  <Link to={queueOfCamera(c.cameraId)}>{c.cameraId}</Link>
                </td>
                <td className="num">{f.number(c.violations, 0)}</td>
                <td className="num">
                  <RateAgainstCity rate={c.cancellationRate} city={city} />
                </td>
                <td className="num">{f.number(c.openFlags, 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
