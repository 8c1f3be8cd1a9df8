import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { useAddFlagsToCase, useCases, useCreateCase } from '../cases/cases-api.js';
import { useBulkStatus } from './flags-api.js';

type Mode = 'dismiss' | 'addToCase' | 'newCase' | null;

/** What a prosecutor does with many flags at once: dismiss them with one reason, or put them in a case. */
export function BulkActions({ ids, onDone }: { ids: string[]; onDone(notice: string | null): void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [mode, setMode] = useState<Mode>(null);
  const [reason, setReason] = useState('');
  const [title, setTitle] = useState('');
  const [caseId, setCaseId] = useState('');
  const bulk = useBulkStatus();
  const create = useCreateCase();
  const add = useAddFlagsToCase();
  const openCases = useCases('open,investigating');
  const error = bulk.error ?? create.error ?? add.error;

  return (
    <div className="bulk" role="region" aria-label={t('bulk.title')}>
      <button type="button" onClick={() => setMode('dismiss')}>
        {t('bulk.dismiss')}
      </button>
      <button type="button" onClick={() => setMode('addToCase')}>
        {t('bulk.addToCase')}
      </button>
      <button type="button" onClick={() => setMode('newCase')}>
        {t('bulk.newCase')}
      </button>
      {mode === 'dismiss' && (
        <form
          aria-label={t('bulk.dismiss')}
          onSubmit={(e) => {
            e.preventDefault();
            bulk.mutate(
              { ids, status: 'dismissed', reason },
              {
                onSuccess: (r) => {
                  setMode(null);
                  setReason('');
                  onDone(t('bulk.dismissed', { count: r.updated }));
                },
              },
            );
          }}
        >
          <label>
            {t('common.reason')}
            <input value={reason} onChange={(e) => setReason(e.target.value)} required minLength={3} />
          </label>
          <button type="submit" disabled={bulk.isPending}>
            {t('bulk.confirmDismiss', { count: ids.length })}
          </button>
        </form>
      )}
      {mode === 'addToCase' && (
        <form
          aria-label={t('bulk.addToCase')}
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate(
              { caseId, flagIds: ids },
              {
                onSuccess: () => {
                  onDone(null);
                  navigate(`/cases/${caseId}`);
                },
              },
            );
          }}
        >
          <label>
            {t('bulk.case')}
            <select value={caseId} onChange={(e) => setCaseId(e.target.value)} required>
              <option value="">{t('common.choose')}</option>
              {(openCases.data?.items ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.number} · {c.title}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={add.isPending || caseId === ''}>
            {t('bulk.confirmAdd', { count: ids.length })}
          </button>
        </form>
      )}
      {mode === 'newCase' && (
        <form
          aria-label={t('bulk.newCase')}
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate(
              { title, flagIds: ids },
              {
                onSuccess: (c) => {
                  onDone(null);
                  navigate(`/cases/${c.id}`);
                },
              },
            );
          }}
        >
          <label>
            {t('case.titleField')}
            <input value={title} onChange={(e) => setTitle(e.target.value)} required minLength={3} />
          </label>
          <button type="submit" disabled={create.isPending}>
            {t('bulk.confirmNewCase', { count: ids.length })}
          </button>
        </form>
      )}
      <ErrorMessage error={error} fields={{ reason: t('common.reason') }} />
    </div>
  );
}
