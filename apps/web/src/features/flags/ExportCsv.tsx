import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { flagEndpoints, type QueryOf } from '@qadaga/contracts/api';
import { fetchBytes } from '../../api/call.js';
import { saveResponse } from '../../api/download.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { apiFiltersOf } from './queue-filters.js';

/** Downloads every flag the queue's current filters match as a CSV file (up to the server's bound, which the file states). */
export function ExportCsv() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<{ rows: number; truncated: boolean } | null>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const response = await fetchBytes(flagEndpoints.exportCsv, { query: apiFiltersOf(params) as QueryOf<typeof flagEndpoints.exportCsv> });
      const result = { rows: Number(response.headers.get('x-export-rows') ?? 0), truncated: response.headers.get('x-export-truncated') === 'true' };
      await saveResponse(response, 'flags.csv');
      setDone(result);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="inline-form">
      <button type="button" onClick={() => void run()} disabled={busy}>
        {busy ? t('exportCsv.busy') : t('exportCsv.button')}
      </button>
      {done !== null && <span role="status">{t(done.truncated ? 'exportCsv.truncated' : 'exportCsv.done', { count: done.rows })}</span>}
      <ErrorMessage error={error} />
    </span>
  );
}
