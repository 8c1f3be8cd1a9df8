import { useTranslation } from 'react-i18next';
import { BundleList } from '../bundles/BundleList.js';

/** The evidence bundles of this case, each downloadable for as long as it is kept. */
export function CaseBundles({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="case-bundles">
      <h2 id="case-bundles">{t('bundles.ofCase')}</h2>
      <BundleList caseId={caseId} labelledBy="case-bundles" />
    </section>
  );
}
