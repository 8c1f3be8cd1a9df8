import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FlagDetail } from '@qadaga/contracts/api';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { useFormat } from '../../format/format.js';
import { useCommentOnFlag } from './flag-work-api.js';

/** What people wrote about a flag before any case, oldest first; prosecutors add to it, nobody edits it. */
export function FlagComments({ flag, writer }: { flag: FlagDetail; writer: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [text, setText] = useState('');
  const add = useCommentOnFlag(flag.id);
  return (
    <section aria-labelledby="flag-comments">
      <h2 id="flag-comments">{t('flagWork.comments')}</h2>
      {flag.comments.length === 0 ? (
        <p className="muted">{t('flagWork.noComments')}</p>
      ) : (
        <ul aria-label={t('flagWork.comments')}>
          {flag.comments.map((c) => (
            <li key={c.id}>
              <div className="muted">
                {c.authorName ?? c.authorId} · <time dateTime={c.at}>{f.dateTime(c.at)}</time>
              </div>
              <p>{c.text}</p>
            </li>
          ))}
        </ul>
      )}
      {writer && (
        <form
          aria-label={t('flagWork.addComment')}
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate({ text }, { onSuccess: () => setText('') });
          }}
        >
          <label className="block">
            {t('flagWork.commentText')}
            <textarea value={text} rows={3} maxLength={4_000} onChange={(e) => setText(e.target.value)} />
          </label>
          <button type="submit" disabled={add.isPending}>
            {t('flagWork.addComment')}
          </button>
          <ErrorMessage error={add.error} fields={{ text: t('flagWork.commentText') }} />
        </form>
      )}
    </section>
  );
}
