import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { CASE_STATUSES, caseEndpoints, type CaseSummary } from '@qadaga/contracts/api';
import { call } from '../../api/call.js';
import { mayActOnCases } from '../../auth/access.js';
import { useSession } from '../../auth/session.js';
import { DataState } from '../../components/DataState.js';
import { useDebounced } from '../../components/useDebounced.js';
import { useFormat } from '../../format/format.js';
import { CASE_STATUS_KEYS, OUTCOME_KEYS } from './labels.js';
import { NewCaseForm } from './NewCaseForm.js';

/** The board's cases, narrowed by a search the server runs (a number from its start, or words of the title). */
function useCaseSearch(q: string) {
  const search = q.trim().slice(0, 100);
  return useQuery({
    queryKey: ['cases', 'board', search],
    queryFn: () => call(caseEndpoints.list, { query: search === '' ? {} : { q: search } }),
    placeholderData: keepPreviousData,
  });
}

export function CaseBoardPage() {
  const { t } = useTranslation();
  const { user } = useSession();
  const [search, setSearch] = useState('');
  const q = useDebounced(search, 300);
  const cases = useCaseSearch(q);
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [creating, setCreating] = useState(false);
  const writer = user !== null && mayActOnCases(user.roles);
  return (
    <section>
      <h1>{t('cases.title')}</h1>
      <div className="filters">
        <label>
          {t('cases.search')}{' '}
          <input type="search" value={search} maxLength={100} placeholder={t('cases.searchHint')} onChange={(e) => setSearch(e.target.value)} />
        </label>{' '}
        <label>
          <input type="checkbox" checked={overdueOnly} onChange={(e) => setOverdueOnly(e.target.checked)} />
          {t('cases.overdueOnly')}
        </label>{' '}
        {writer && !creating && (
          <button type="button" onClick={() => setCreating(true)}>
            {t('cases.newCase')}
          </button>
        )}
      </div>
      {creating && <NewCaseForm onCancel={() => setCreating(false)} />}
      <DataState query={cases} isEmpty={(d) => d.items.length === 0} empty={q.trim() === '' ? t('cases.empty') : t('cases.noMatch', { q: q.trim() })}>
        {(data) => <CaseBoard cases={data.items.filter((c) => !overdueOnly || c.overdue)} />}
      </DataState>
    </section>
  );
}

export function CaseBoard({ cases }: { cases: CaseSummary[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <div className="board">
      {CASE_STATUSES.map((status) => {
        const column = cases.filter((c) => c.status === status);
        return (
          <section key={status} aria-label={t(CASE_STATUS_KEYS[status])}>
            <h2>
              {t(CASE_STATUS_KEYS[status])} <span className="muted">({column.length})</span>
            </h2>
            {column.map((c) => (
              <div key={c.id} className={c.overdue ? 'card overdue' : 'card'}>
                <Link to={`/cases/${c.id}`}>
                  {c.number} · {c.title}
                </Link>
                <div className="muted">
                  {t('cases.flags', { count: c.flagCount })} · {c.assignee?.displayName ?? t('cases.unassigned')}
                  {c.dueAt !== null && <> · {t('cases.due', { date: f.date(c.dueAt) })}</>}
                </div>
                {c.overdue && <strong className="bad">{t('cases.overdue')}</strong>}
                {c.outcome !== null && <div>{t(OUTCOME_KEYS[c.outcome])}</div>}
                {c.closeRequest !== null && <div className="muted">{t('cases.closeWaiting')}</div>}
              </div>
            ))}
          </section>
        );
      })}
    </div>
  );
}
