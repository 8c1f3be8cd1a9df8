import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { evidenceEndpoints } from '@qadaga/contracts/api';
import { downloadWithToken } from '../../api/download.js';
import { useSession } from '../../auth/session.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Hash } from '../../components/Hash.js';
import { useFormat } from '../../format/format.js';
import { useBundle, useStartCaseBundle } from '../cases/cases-api.js';

/** Export a case's evidence: the bundle is built in the background; its progress is polled until it can be downloaded. */
export function BundleExport({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const start = useStartCaseBundle(caseId);
  const [reason, setReason] = useState('');
  const [bundleId, setBundleId] = useState<string | null>(null);
  if (user === null || !user.roles.some((r) => r === 'prosecutor' || r === 'auditor' || r === 'admin')) return null;
  return (
    <section aria-labelledby="bundle-heading">
      <h2 id="bundle-heading">{t('bundle.title')}</h2>
      <form
        className="inline-form"
        aria-label={t('bundle.export')}
        onSubmit={(e) => {
          e.preventDefault();
          start.mutate({ reason }, { onSuccess: (b) => setBundleId(b.id) });
        }}
      >
        <label>
          {t('bundle.reason')}
          <input value={reason} onChange={(e) => setReason(e.target.value)} />
        </label>
        <button type="submit" disabled={start.isPending}>
          {t('bundle.export')}
        </button>
        <ErrorMessage error={start.error} fields={{ reason: t('common.reason') }} />
      </form>
      {bundleId !== null && <BundleProgress id={bundleId} />}
    </section>
  );
}

export function BundleProgress({ id }: { id: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const bundle = useBundle(id);
  const [error, setError] = useState<unknown>(null);
  const b = bundle.data;
  if (b === undefined) return bundle.isError ? <ErrorMessage error={bundle.error} /> : <p role="status">{t('common.loading')}</p>;
  return (
    <div className="inline-form" role="region" aria-label={t('bundle.progressLabel')}>
      <label>
        {t('bundle.progress', { progress: b.progress })}
        <progress className="progress" max={100} value={b.progress} />
      </label>
      <span role="status">{t(b.status === 'done' ? 'bundle.done' : b.status === 'failed' ? 'bundle.failed' : 'bundle.building')}</span>
      {b.status === 'failed' && b.error !== null && <span className="bad">{b.error}</span>}
      {b.status === 'done' && (
        <>
          <button type="button" onClick={() => downloadWithToken(evidenceEndpoints.download, { id: b.id }, b.fileName).catch(setError)}>
            {t('bundle.download', { name: b.fileName })}
          </button>
          {b.size !== null && <span>{f.bytes(b.size)}</span>}
          {b.sha256 !== null && <Hash value={b.sha256} label="SHA-256" />}
        </>
      )}
      <ErrorMessage error={error} />
    </div>
  );
}
