import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { SubjectLinks } from '../../components/SubjectLinks.js';
import { ruleText } from '../../i18n/vocabulary.js';
import { useMyWork } from '../work/my-work-api.js';
import { useCreateCase } from './cases-api.js';

/**
 * A case opened from the board: a title and the flags it is opened from, chosen among the
 * open flags given to the reader. A case rests on at least one flag: its flags' officers
 * and units are what the case is about, and so who is recused from it. The form says so
 * while none is chosen; the server refuses a case without one all the same.
 */
export function NewCaseForm({ onCancel }: { onCancel: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const work = useMyWork();
  const create = useCreateCase();
  const [title, setTitle] = useState('');
  const [flagIds, setFlagIds] = useState<string[]>([]);
  const flags = work.data?.flags ?? [];
  const toggle = (id: string, on: boolean) => setFlagIds((ids) => (on ? [...ids, id] : ids.filter((x) => x !== id)));
  return (
    <form
      className="inline-form"
      aria-label={t('cases.newCase')}
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate({ title, flagIds }, { onSuccess: (c) => navigate(`/cases/${c.id}`) });
      }}
    >
      <h2>{t('cases.newCase')}</h2>
      <label className="block">
        {t('case.titleField')}
        <input value={title} maxLength={300} onChange={(e) => setTitle(e.target.value)} />
      </label>
      <fieldset>
        <legend>{t('cases.newCaseFlags')}</legend>
        {work.isSuccess && flags.length === 0 && <p className="muted">{t('cases.newCaseNoFlags')}</p>}
        {flags.map((flag) => (
          <label key={flag.id} className="block">
            <input type="checkbox" checked={flagIds.includes(flag.id)} onChange={(e) => toggle(flag.id, e.target.checked)} /> {ruleText(flag.scheme, flag.ruleId, t)} ·{' '}
            <SubjectLinks kind={flag.subjectKind} id={flag.subjectId} />
          </label>
        ))}
        {flagIds.length === 0 && (
          <p role="note" className="muted">
            {t('cases.newCaseNeedsFlag')}
          </p>
        )}
      </fieldset>
      <button type="submit" disabled={create.isPending}>
        {t('cases.newCaseSubmit')}
      </button>{' '}
      <button type="button" onClick={onCancel}>
        {t('cases.cancel')}
      </button>
      <ErrorMessage error={create.error ?? work.error} fields={{ title: t('case.titleField'), flagIds: t('cases.newCaseFlags') }} />
    </form>
  );
}
