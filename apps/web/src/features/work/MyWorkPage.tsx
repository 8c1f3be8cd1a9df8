import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CaseSummary, MyFlag, MyWork } from '@qadaga/contracts/api';
import { DataState } from '../../components/DataState.js';
import { SubjectLinks } from '../../components/SubjectLinks.js';
import { useFormat } from '../../format/format.js';
import { ruleText } from '../../i18n/vocabulary.js';
import { CASE_STATUS_KEYS } from '../cases/labels.js';
import { FLAG_STATUS_KEYS, SEVERITY_KEYS } from '../flags/labels.js';
import { useMyWork } from './my-work-api.js';

export function MyWorkPage() {
  const { t } = useTranslation();
  const work = useMyWork();
  return (
    <section>
      <h1>{t('myWork.title')}</h1>
      <DataState query={work}>{(data) => <MyWorkView work={data} />}</DataState>
    </section>
  );
}

/**
 * The flags and cases given to the reader, overdue first as the server orders them. An
 * overdue item says so in words beside its date, not by colour alone.
 */
export function MyWorkView({ work }: { work: MyWork }) {
  const { t } = useTranslation();
  const withheld = work.withheld.flags + work.withheld.cases;
  return (
    <>
      {withheld > 0 && (
        <p role="note" className="muted">
          {t('myWork.withheld', { count: withheld })}
        </p>
      )}
      <section aria-labelledby="my-flags">
        <h2 id="my-flags">{t('myWork.flags', { count: work.flags.length })}</h2>
        {work.flags.length === 0 ? <p className="muted">{t('myWork.noFlags')}</p> : <FlagList flags={work.flags} />}
      </section>
      <section aria-labelledby="my-cases">
        <h2 id="my-cases">{t('myWork.cases', { count: work.cases.length })}</h2>
        {work.cases.length === 0 ? <p className="muted">{t('myWork.noCases')}</p> : <CaseList cases={work.cases} />}
      </section>
    </>
  );
}

function Due({ dueAt, overdue }: { dueAt: string | null; overdue: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (dueAt === null) return <span className="muted">{t('myWork.noDueDate')}</span>;
  return (
    <span>
      {t('myWork.due', { date: f.date(dueAt) })}
      {overdue && <strong className="bad"> — {t('myWork.overdue')}</strong>}
    </span>
  );
}

function FlagList({ flags }: { flags: MyFlag[] }) {
  const { t, i18n } = useTranslation();
  return (
    <table aria-label={t('myWork.flags', { count: flags.length })}>
      <thead>
        <tr>
          <th scope="col">{t('myWork.dueColumn')}</th>
          <th scope="col">{t('myWork.flagColumn')}</th>
          <th scope="col">{t('myWork.subjectColumn')}</th>
          <th scope="col">{t('myWork.statusColumn')}</th>
        </tr>
      </thead>
      <tbody>
        {flags.map((flag) => (
          <tr key={flag.id} className={flag.overdue ? 'overdue' : undefined}>
            <td style={{ whiteSpace: 'nowrap' }}>
              <Due dueAt={flag.dueAt} overdue={flag.overdue} />
            </td>
            <td>
              <span className={`badge sev-${flag.severity}`}>{t(SEVERITY_KEYS[flag.severity] ?? 'severity.low')}</span>{' '}
              <Link to={`/flags/${flag.id}`}>{ruleText(flag.scheme, flag.ruleId, t)}</Link>
              <div className="muted">{flag.explanation[i18n.language] ?? flag.explanation['en']}</div>
            </td>
            <td>
              <SubjectLinks kind={flag.subjectKind} id={flag.subjectId} />
            </td>
            <td>{t(FLAG_STATUS_KEYS[flag.status])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function CaseList({ cases }: { cases: CaseSummary[] }) {
  const { t } = useTranslation();
  return (
    <table aria-label={t('myWork.cases', { count: cases.length })}>
      <thead>
        <tr>
          <th scope="col">{t('myWork.dueColumn')}</th>
          <th scope="col">{t('myWork.caseColumn')}</th>
          <th scope="col">{t('myWork.statusColumn')}</th>
        </tr>
      </thead>
      <tbody>
        {cases.map((c) => (
          <tr key={c.id} className={c.overdue ? 'overdue' : undefined}>
            <td style={{ whiteSpace: 'nowrap' }}>
              <Due dueAt={c.dueAt} overdue={c.overdue} />
            </td>
            <td>
              <Link to={`/cases/${c.id}`}>
                {c.number} · {c.title}
              </Link>
              <div className="muted">{t('cases.flags', { count: c.flagCount })}</div>
            </td>
            <td>{t(CASE_STATUS_KEYS[c.status])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
