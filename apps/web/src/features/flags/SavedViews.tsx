import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { apiFiltersOf, queueParamsOf } from './queue-filters.js';
import { useDeleteView, useSaveView, useSavedViews } from './saved-views-api.js';

/** A person's named filters for the queue: choose one to apply it, save the current filters under a name, delete one. */
export function SavedViews() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const views = useSavedViews();
  const save = useSaveView();
  const remove = useDeleteView();
  const [chosen, setChosen] = useState('');
  const [name, setName] = useState('');
  const items = views.data?.items ?? [];
  const current = items.find((v) => v.id === chosen);
  return (
    <section className="inline-form saved-views" title={t('savedViews.title')}>
      <label>
        {t('savedViews.choose')}
        <select
          value={chosen}
          onChange={(e) => {
            setChosen(e.target.value);
            const view = items.find((v) => v.id === e.target.value);
            if (view !== undefined) setParams(queueParamsOf(view.filters), { replace: true });
          }}
        >
          <option value="">{items.length === 0 ? t('savedViews.none') : t('savedViews.placeholder')}</option>
          {items.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
            </option>
          ))}
        </select>
      </label>
      {current !== undefined && (
        <button type="button" onClick={() => remove.mutate(current.id, { onSuccess: () => setChosen('') })} disabled={remove.isPending}>
          {t('savedViews.delete', { name: current.name })}
        </button>
      )}
      <form
        className="inline-form"
        aria-label={t('savedViews.save')}
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(
            { name, filters: apiFiltersOf(params) },
            {
              onSuccess: (view) => {
                setChosen(view.id);
                setName('');
              },
            },
          );
        }}
      >
        <label>
          {t('savedViews.name')}
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={80} />
        </label>
        <button type="submit" disabled={save.isPending}>
          {t('savedViews.save')}
        </button>
      </form>
      {save.isSuccess && <span role="status">{t('savedViews.saved', { name: save.data.name })}</span>}
      <ErrorMessage error={save.error ?? remove.error ?? views.error} fields={{ name: t('savedViews.name') }} />
    </section>
  );
}
