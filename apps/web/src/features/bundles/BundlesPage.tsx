import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { evidenceEndpoints, type BundleVerification } from '@qadaga/contracts/api';
import { request } from '../../api/client.js';
import { pathOf } from '../../api/call.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { BundleList } from './BundleList.js';
import { QueryBundleForm } from './QueryBundleForm.js';

/** Auditors export evidence for a query (subjects, rules, time range), find the bundles built, and check a bundle they were given. */
export function BundlesPage() {
  const { t } = useTranslation();
  const verify = useMutation({
    mutationFn: async (file: File) => {
      const response = await request(pathOf(evidenceEndpoints.verify), { method: evidenceEndpoints.verify.method, rawBody: file, contentType: 'application/zip' });
      return (await response.json()) as BundleVerification;
    },
  });
  return (
    <section>
      <h1>{t('bundles.title')}</h1>
      <div className="two-columns">
        <QueryBundleForm />
        <section className="inline-form" aria-labelledby="verify-heading">
          <h2 id="verify-heading">{t('bundles.verify')}</h2>
          <label>
            {t('bundles.chooseZip')}
            <input
              type="file"
              accept=".zip,application/zip"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file !== undefined) verify.mutate(file);
              }}
            />
          </label>
          {verify.isPending && <p role="status">{t('bundles.verifying')}</p>}
          {verify.data !== undefined && (
            <div role="status" aria-label={t('bundles.result')}>
              {verify.data.ok ? (
                <p className="ok">{t('bundles.valid', { keyId: verify.data.checked?.signedBy ?? '—' })}</p>
              ) : (
                <p className="bad">{t('bundles.invalid', { count: verify.data.failures.length })}</p>
              )}
              {verify.data.keysFrom === 'database' && <p className="notice">{t('bundles.keysFromDatabase')}</p>}
              <ul>
                {verify.data.failures.map((x) => (
                  <li key={`${x.file}:${x.reason}`}>
                    <code>{x.file}</code> {x.reason}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <ErrorMessage error={verify.error} />
        </section>
      </div>
      <section aria-labelledby="bundle-list-heading">
        <h2 id="bundle-list-heading">{t('bundles.list.title')}</h2>
        <BundleList labelledBy="bundle-list-heading" />
      </section>
    </section>
  );
}
