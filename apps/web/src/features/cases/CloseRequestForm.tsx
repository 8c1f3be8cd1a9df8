import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseDetail, CaseOutcome } from '@qadaga/contracts/api';
import { closeBlockers, unresolvedCloseBlockers, type CloseBlocker } from '@qadaga/domain';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { useRequestClose } from './cases-api.js';
import { OUTCOME_KEYS } from './labels.js';
import './case-report.css';

/**
 * Asking to close a case. What should stop the close (no outcome chosen, tasks still to
 * do) is said in words before anything is sent, by the same rule the server applies; open
 * tasks may be confirmed with a tick, which the request carries and the timeline records.
 */
export function CloseRequestForm({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation();
  const request = useRequestClose(detail.id);
  const [outcome, setOutcome] = useState<CaseOutcome | ''>('');
  const [reason, setReason] = useState('');
  const [acknowledged, setAcknowledged] = useState(false);
  const [tried, setTried] = useState(false);
  const blockers = closeBlockers({ taskStatuses: detail.tasks.map((k) => k.status), outcome: outcome === '' ? null : outcome });
  const unresolved = unresolvedCloseBlockers(blockers, acknowledged);
  const openTasks = blockers.find((b): b is Extract<CloseBlocker, { kind: 'open_tasks' }> => b.kind === 'open_tasks');
  return (
    <form
      className="inline-form"
      aria-label={t('case.requestClose')}
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if (outcome === '' || unresolved.length > 0) return;
        request.mutate({ outcome, reason, ...(openTasks === undefined ? {} : { acknowledgeOpenTasks: acknowledged }) });
      }}
    >
      <label>
        {t('case.outcome')}
        <select value={outcome} onChange={(e) => setOutcome(e.target.value as CaseOutcome | '')}>
          <option value="">{t('common.choose')}</option>
          <option value="substantiated">{t(OUTCOME_KEYS.substantiated)}</option>
          <option value="unfounded">{t(OUTCOME_KEYS.unfounded)}</option>
        </select>
      </label>
      <label>
        {t('common.reason')}
        <input value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      {openTasks !== undefined && (
        <div className="warning" role="note" aria-label={t('caseTasks.close.warning')}>
          <p>{t('caseTasks.close.openTasks', { count: openTasks.count })}</p>
          <label>
            <input type="checkbox" checked={acknowledged} onChange={(e) => setAcknowledged(e.target.checked)} /> {t('caseTasks.close.acknowledge')}
          </label>
        </div>
      )}
      <button type="submit" disabled={request.isPending}>
        {t('case.requestClose')}
      </button>
      {tried && unresolved.length > 0 && (
        <div role="alert" className="error">
          <strong>{t('caseTasks.close.notSent')}</strong>
          <ul>
            {unresolved.map((b) => (
              <li key={b.kind}>{b.kind === 'missing_outcome' ? t('caseTasks.close.missingOutcome') : t('caseTasks.close.openTasks', { count: b.count })}</li>
            ))}
          </ul>
        </div>
      )}
      <ErrorMessage error={request.error} fields={{ reason: t('common.reason'), outcome: t('case.outcome'), acknowledgeOpenTasks: t('caseTasks.close.acknowledge') }} />
    </form>
  );
}
