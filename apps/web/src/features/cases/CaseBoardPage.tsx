import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CASE_STATUSES, type CaseSummary } from '@qadaga/contracts/api';
import { DataState } from '../../components/DataState.js';
import { useFormat } from '../../format/format.js';
import { useCases } from './cases-api.js';
import { CASE_STATUS_KEYS, OUTCOME_KEYS } from './labels.js';

export function CaseBoardPage() {
  const { t } = useTranslation();
  const cases = useCases();
  const [overdueOnly, setOverdueOnly] = useState(false);
  return (
    <section>
      <h1>{t('cases.title')}</h1>
      <label>
        <input type="checkbox" checked={overdueOnly} onChange={(e) => setOverdueOnly(e.target.checked)} />
        {t('cases.overdueOnly')}
      </label>
      <DataState query={cases} isEmpty={(d) => d.items.length === 0} empty={t('cases.empty')}>
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
