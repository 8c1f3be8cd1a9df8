import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/** Opens the case's report, laid out to be printed or saved as PDF and handed over. */
export function PrintReportButton({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  return (
    <p className="no-print">
      <Link className="button" to={`/cases/${caseId}/report`}>
        {t('caseReport.open')}
      </Link>
    </p>
  );
}
