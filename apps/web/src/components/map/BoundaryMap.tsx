import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { placeEndpoints, type DistrictNames, type PublicDistricts } from '@qadaga/contracts/api';
import { call } from '../../api/call.js';
import { DistrictMap, type DistrictMapProps } from './DistrictMap.js';
import type { Areas } from './geometry.js';

const HOUR_MS = 60 * 60 * 1000;

/** The loaded district boundaries, fetched once an hour for every map of the workbench and the public page. */
export function useDistrictBoundaries(): PublicDistricts | null {
  const boundaries = useQuery({
    queryKey: ['public-districts'],
    queryFn: () => call(placeEndpoints.publicDistricts, { anonymous: true }),
    staleTime: HOUR_MS,
  });
  return boundaries.data ?? null;
}

/** A district's names as the boundaries give them, or as the figures carry them when no boundary has that id. */
export function boundaryNames(boundaries: PublicDistricts | null, id: string | null, carried: DistrictNames | null = null): DistrictNames | null {
  return boundaries?.features.find((x) => x.properties.id === id)?.properties.name ?? carried;
}

/** The district map over the loaded boundaries, credited as their licence asks; a sentence instead while none are loaded. */
export function BoundaryMap({ boundaries, ...props }: Omit<DistrictMapProps, 'areas' | 'attribution'> & { boundaries: PublicDistricts | null }) {
  const { t } = useTranslation();
  if (boundaries === null || boundaries.features.length === 0) return <p className="notice">{t('public.noBoundaries')}</p>;
  return <DistrictMap {...props} areas={boundaries as unknown as Areas} attribution={boundaries.attribution ?? ''} />;
}
