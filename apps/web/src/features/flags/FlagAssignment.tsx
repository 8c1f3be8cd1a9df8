import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WorkedFlag } from '@qadaga/contracts/api';
import { dueDayOf, endOfDueDay, isOverdue } from '@qadaga/domain';
import { DateField } from '../../components/DateField.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { PeoplePicker } from '../../components/PeoplePicker.js';
import { useFormat } from '../../format/format.js';
import { useAssignFlag } from './flag-work-api.js';

/**
 * Who looks into a flag before any case exists, and by when: shown to every reader, set by
 * prosecutors. The person is picked from the active prosecutors; the date is a day in the
 * reader's language, due at that day's end in Kazakhstan.
 */
export function FlagAssignment({ flag, writer }: { flag: WorkedFlag; writer: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const overdue = isOverdue(flag.dueAt, new Date());
  return (
    <section aria-labelledby="flag-assignment" className="inline-form">
      <h2 id="flag-assignment">{t('flagWork.assignment')}</h2>
      <p>
        {t('flagWork.assignee')}: <strong>{flag.assignee?.displayName ?? t('flagWork.nobody')}</strong>
        {' · '}
        {t('flagWork.dueAt')}: <strong>{flag.dueAt === null ? t('flagWork.noDueDate') : f.date(flag.dueAt)}</strong>
        {overdue && <strong className="bad"> {t('flagWork.overdue')}</strong>}
      </p>
      {writer && <AssignForm flag={flag} />}
    </section>
  );
}

function AssignForm({ flag }: { flag: WorkedFlag }) {
  const { t } = useTranslation();
  const assign = useAssignFlag(flag.id);
  const [assigneeId, setAssigneeId] = useState(flag.assignee?.id ?? '');
  const [day, setDay] = useState(flag.dueAt === null ? '' : dueDayOf(flag.dueAt));
  return (
    <form
      aria-label={t('flagWork.assign')}
      onSubmit={(e) => {
        e.preventDefault();
        assign.mutate({ assigneeId: assigneeId === '' ? null : assigneeId, dueAt: day === '' ? null : endOfDueDay(day) });
      }}
    >
      <PeoplePicker label={t('flagWork.assignee')} value={assigneeId} onChange={setAssigneeId} emptyLabel={t('flagWork.nobody')} />
      <DateField label={t('flagWork.dueAt')} value={day} onChange={setDay} />
      <button type="submit" disabled={assign.isPending}>
        {t('flagWork.saveAssignment')}
      </button>
      {assign.isSuccess && <span role="status">{t('common.saved')}</span>}
      <ErrorMessage error={assign.error} fields={{ assigneeId: t('flagWork.assignee'), dueAt: t('flagWork.dueAt') }} />
    </form>
  );
}
