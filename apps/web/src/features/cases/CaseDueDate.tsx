import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { caseEndpoints, type CaseDetail } from '@qadaga/contracts/api';
import { dueDayOf, endOfDueDay } from '@qadaga/domain';
import { call } from '../../api/call.js';
import { DateField } from '../../components/DateField.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';

/** Sets or clears when a case is due: a day in the reader's language, due at its end in Kazakhstan. */
export function CaseDueDate({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [day, setDay] = useState(detail.dueAt === null ? '' : dueDayOf(detail.dueAt));
  const save = useMutation({
    mutationFn: (dueAt: string | null) => call(caseEndpoints.due, { params: { id: detail.id }, body: { dueAt } }),
    onSuccess: (_r, dueAt) => {
      if (dueAt === null) setDay('');
      void client.invalidateQueries({ queryKey: ['case', detail.id] });
      void client.invalidateQueries({ queryKey: ['cases'] });
      void client.invalidateQueries({ queryKey: ['my-work'] });
    },
  });
  return (
    <form
      className="inline-form"
      aria-label={t('cases.dueDate')}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(day === '' ? null : endOfDueDay(day));
      }}
    >
      <h2>{t('cases.dueDate')}</h2>
      <DateField label={t('cases.dueDay')} value={day} onChange={setDay} />
      <button type="submit" disabled={save.isPending || day === ''}>
        {t('cases.setDue')}
      </button>{' '}
      <button type="button" disabled={save.isPending || detail.dueAt === null} onClick={() => save.mutate(null)}>
        {t('cases.clearDue')}
      </button>
      {save.isSuccess && <span role="status">{t('common.saved')}</span>}
      <ErrorMessage error={save.error} fields={{ dueAt: t('cases.dueDay') }} />
    </form>
  );
}
