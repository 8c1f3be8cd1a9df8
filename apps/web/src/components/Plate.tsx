import { plateKey } from '@qadaga/domain';
import { useTranslation } from 'react-i18next';

/**
 * A plate as received (evidence, never altered) and as its comparison key, since
 * look-alike Cyrillic and Latin letters make one car look like many.
 */
export function Plate({ value }: { value: string }) {
  const { t } = useTranslation();
  const key = plateKey(value);
  return (
    <span className="plate">
      <span title={t('plate.received')}>{value}</span>
      {key !== value && (
        <span className="muted" title={t('plate.normalised')}>
          {' '}
          → <code aria-label={t('plate.normalised')}>{key}</code>
        </span>
      )}
    </span>
  );
}
