import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Plate } from './Plate.js';

/** Links from a flag's subject to the profiles behind it; officer-vehicle pairs name both. */
export function SubjectLinks({ kind, id }: { kind: string; id: string }) {
  const { t } = useTranslation();
  // Pseudonyms ("officer~3f9a1c") shown to rule authors open no profile.
  if (id.includes('~')) return <code>{id}</code>;
  if (kind === 'officer') return <Link to={`/profiles/officer/${encodeURIComponent(id)}`} aria-label={`${t('profile.officer')} ${id}`}>{id}</Link>;
  if (kind === 'camera') return <Link to={`/profiles/camera/${encodeURIComponent(id)}`} aria-label={`${t('profile.camera')} ${id}`}>{id}</Link>;
  if (kind === 'vehicle') {
    return (
      <Link to={`/profiles/vehicle/${encodeURIComponent(id)}`} aria-label={`${t('profile.vehicle')} ${id}`}>
        <Plate value={id} />
      </Link>
    );
  }
  if (kind === 'officer_vehicle') {
    const [officer = '', plate = ''] = id.split('|');
    return (
      <span>
        <SubjectLinks kind="officer" id={officer} /> · <SubjectLinks kind="vehicle" id={plate} />
      </span>
    );
  }
  return <span>{id}</span>;
}
