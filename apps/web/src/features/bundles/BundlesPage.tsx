import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DateField } from '../../components/DateField.js';
import { evidenceEndpoints, type BundleVerification } from '@qadaga/contracts/api';
import type { SubjectKind } from '@qadaga/domain';
import { request } from '../../api/client.js';
import { call, pathOf } from '../../api/call.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { startOfLocalDay } from '../../format/format.js';
import { BundleProgress } from './BundleExport.js';

/** Auditors export evidence for a query (subjects, rules, time range) and check a bundle they were given. */
export function BundlesPage() {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [subjects, setSubjects] = useState('');
  const [rules, setRules] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [bundleId, setBundleId] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: () =>
      call(evidenceEndpoints.forQuery, {
        body: {
          reason,
          query: {
            ...(subjects.trim() === ''
              ? {}
              : {
                  subjects: subjects
                    .split(/[\n,]+/u)
                    .map((s) => s.trim())
                    .filter((s) => s !== '')
                    .map((s) => {
                      const [kind = '', ...id] = s.split(':');
                      // The server names a kind it does not know; the form sends what was typed.
                      return { kind: kind as SubjectKind, id: id.join(':') };
                    }),
                }),
            ...(rules.trim() === '' ? {} : { ruleIds: rules.split(',').map((r) => r.trim()).filter((r) => r !== '') }),
            from: from === '' ? '' : startOfLocalDay(from),
            to: to === '' ? '' : startOfLocalDay(to),
          },
        },
      }),
    onSuccess: (b) => setBundleId(b.id),
  });
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
        <form
          className="inline-form"
          aria-label={t('bundles.exportQuery')}
          onSubmit={(e) => {
            e.preventDefault();
            start.mutate();
          }}
        >
          <h2>{t('bundles.exportQuery')}</h2>
          <label>
            {t('bundles.subjects')}
            <input value={subjects} onChange={(e) => setSubjects(e.target.value)} placeholder="officer:OFF-17, vehicle:123ABC02" />
          </label>
          <label>
            {t('bundles.rules')}
            <input value={rules} onChange={(e) => setRules(e.target.value)} />
          </label>
          <DateField label={t('queue.filter.from')} value={from} onChange={(day) => setFrom(day)} />
          <DateField label={t('queue.filter.to')} value={to} onChange={(day) => setTo(day)} />
          <label>
            {t('bundle.reason')}
            <input value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
          <button type="submit" disabled={start.isPending}>
            {t('bundle.export')}
          </button>
          <ErrorMessage error={start.error} />
          {bundleId !== null && <BundleProgress id={bundleId} />}
        </form>
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
    </section>
  );
}
