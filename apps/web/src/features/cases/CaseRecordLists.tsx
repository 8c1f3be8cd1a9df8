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
