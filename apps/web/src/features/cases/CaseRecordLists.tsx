import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseDetail } from '@qadaga/contracts/api';
import { useFormat } from '../../format/format.js';
import { caseEventText } from './case-event-text.js';

/** A case's notes, oldest first, each with its author and time: on the case page and in its report alike. */
export function CaseNoteList({ notes }: { notes: CaseDetail['notes'] }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <>
      {notes.length === 0 && <p className="muted">{t('case.noNotes')}</p>}
      <ul aria-label={t('case.notes')}>
        {notes.map((n) => (
          <li key={n.id}>
            <div className="muted">
              {n.authorName ?? n.authorId} · <time dateTime={n.at}>{f.dateTime(n.at)}</time>
            </div>
            <p>{n.text}</p>
          </li>
        ))}
      </ul>
    </>
  );
}

/** Everything that happened to a case, in words, in order. */
export function CaseTimelineList({ timeline }: { timeline: CaseDetail['timeline'] }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <ol className="timeline" aria-label={t('case.timeline')}>
      {timeline.map((e, i) => (
        <li key={`${e.at}-${i}`}>
          <time dateTime={e.at}>{f.dateTime(e.at)}</time> {e.actorName ?? e.actor} {caseEventText(e, t, f)}
        </li>
      ))}
    </ol>
  );
}

type CaseTask = CaseDetail['tasks'][number];

/**
 * A case's tasks: what, who, by when and whether done. The case page adds a cell of
 * buttons per task (`action`); the printed report has none.
 */
export function CaseTaskTable({ tasks, action }: { tasks: CaseDetail['tasks']; action?: { header: ReactNode; cell: (task: CaseTask) => ReactNode } }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (tasks.length === 0) return <p className="muted">{t('caseTasks.none')}</p>;
  return (
    <table className="grid compact" aria-label={t('caseTasks.title')}>
      <thead>
        <tr>
          <th scope="col">{t('caseTasks.task')}</th>
          <th scope="col">{t('caseTasks.owner')}</th>
          <th scope="col">{t('caseTasks.dueAt')}</th>
          <th scope="col">{t('caseTasks.status')}</th>
          {action?.header}
        </tr>
      </thead>
      <tbody>
        {tasks.map((k) => (
          <tr key={k.id}>
            <td>{k.title}</td>
            <td>{k.owner?.displayName ?? <span className="muted">{t('caseTasks.noOwner')}</span>}</td>
            <td>{f.date(k.dueAt)}</td>
            <td>
              {k.status === 'done' ? (
                <>
                  {t('caseTasks.done')} <span className="muted">({t('caseTasks.doneBy', { name: k.doneByName ?? k.doneBy ?? '—', date: f.dateTime(k.doneAt) })})</span>
                </>
              ) : (
                <strong>{t('caseTasks.open')}</strong>
              )}
            </td>
            {action?.cell(k)}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
