import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { placeEndpoints, type ActorPlaces, type PublicDistricts } from '@qadaga/contracts/api';
import { call } from '../../api/call.js';
import { DataState } from '../../components/DataState.js';
import { BoundaryMap, boundaryNames, useDistrictBoundaries } from '../../components/map/BoundaryMap.js';
import { useFormat } from '../../format/format.js';
import { districtName } from '../../components/map/district-name.js';

/**
 * Where one officer's or unit's actions happened, on the city's districts: a prosecutor
 * sees at a glance whether an officer's cancellations gather in one district or on one
 * road, which a table of months cannot show.
 */
export function ActorPlacesMap({ kind, id }: { kind: 'officer' | 'unit'; id: string }) {
  const { t } = useTranslation();
  const places = useQuery({
    queryKey: ['actor-places', kind, id],
    queryFn: () => (kind === 'officer' ? call(placeEndpoints.officerPlaces, { params: { id } }) : call(placeEndpoints.unitPlaces, { params: { id } })),
  });
  const boundaries = useDistrictBoundaries();
  return (
    <section aria-labelledby={`places-of-${kind}`}>
      <h2 id={`places-of-${kind}`}>{t('places.actor.title')}</h2>
      <DataState query={places} isEmpty={(p) => p.actions === 0}>
        {(p) => <ActorPlacesView places={p} boundaries={boundaries} />}
      </DataState>
    </section>
  );
}

export function ActorPlacesView({ places, boundaries }: { places: ActorPlaces; boundaries: PublicDistricts | null }) {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const byDistrict = new Map(places.districts.map((d) => [d.district ?? '', d]));
  const nameOf = (id: string | null) => {
    return districtName(boundaryNames(boundaries, id, byDistrict.get(id ?? '')?.name ?? null), id, i18n.language, t('public.unplaced'));
  };
  const max = Math.max(0, ...places.districts.map((d) => d.actions));
  const points = places.grid.cells.map((c) => ({ id: `${c.lat.toFixed(4)},${c.lon.toFixed(4)}`, lat: c.lat, lon: c.lon, weight: c.cancellations }));
  return (
    <>
      <p className="muted">{t('places.actor.located', { located: f.number(places.located, 0), actions: f.number(places.actions, 0) })}</p>
      <div className="public-layout">
        <BoundaryMap
          boundaries={boundaries}
          title={t('places.actor.mapTitle')}
          value={(id) => byDistrict.get(id)?.actions ?? 0}
          max={max}
          name={(id) => nameOf(id)}
          describe={(id) => {
            const d = byDistrict.get(id);
            return t('places.actor.districtSentence', { name: nameOf(id), actions: f.number(d?.actions ?? 0, 0), cancellations: f.number(d?.cancellations ?? 0, 0) });
          }}
          points={points.filter((p) => p.weight > 0)}
          describePoints={(ids) => t('places.actor.cancellationSpots', { count: ids.length })}
          legend={{ low: f.number(0, 0), high: f.number(max, 0), withheld: t('places.noDataLegend') }}
        />
        <table className="grid compact">
          <thead>
            <tr>
              <th scope="col">{t('public.district')}</th>
              <th scope="col" className="num">{t('places.actor.actions')}</th>
              <th scope="col" className="num">{t('places.measures.cancellations')}</th>
            </tr>
          </thead>
          <tbody>
            {places.districts.map((d) => (
              <tr key={d.district ?? '-'}>
                <th scope="row">{nameOf(d.district)}</th>
                <td className="num">{f.number(d.actions, 0)}</td>
                <td className="num">{f.number(d.cancellations, 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted">{t('places.actor.help')}</p>
    </>
  );
}
