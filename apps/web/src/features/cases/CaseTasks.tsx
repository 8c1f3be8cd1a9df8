import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseDetail } from '@qadaga/contracts/api';
import { mayActOnCases } from '../../auth/access.js';
import { useSession } from '../../auth/session.js';
import { DateField } from '../../components/DateField.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { PeoplePicker } from '../../components/PeoplePicker.js';
import { useAddTask, useSetTaskStatus } from './case-tasks-api.js';
import { CaseTaskTable } from './CaseRecordLists.js';

/** A task is due by the end of the day chosen, in Almaty time, as the case's own due date reads. */
const endOfLocalDay = (day: string) => `${day}T23:59:59+05:00`;

/**
 * The work planned on a case: what is to be done, by whom and by when, and whether it was
 * done. Writers add tasks and mark them done or return them to work; each step is on the
 * case's timeline. A closed case keeps its tasks as they were.
 */
export function CaseTasks({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const writer = user !== null && mayActOnCases(user.roles) && detail.status !== 'closed';
  const setStatus = useSetTaskStatus(detail.id);
  const open = detail.tasks.filter((k) => k.status === 'open').length;
  return (
    <section aria-labelledby="case-tasks">
      <h2 id="case-tasks">
        {t('caseTasks.title')} {open > 0 && <span className="muted">· {t('caseTasks.openCount', { count: open })}</span>}
      </h2>
      <CaseTaskTable
        tasks={detail.tasks}
        {...(writer
          ? {
              action: {
                header: <th scope="col" aria-hidden="true" />,
                cell: (k: CaseDetail['tasks'][number]) => (
                  <td>
                    <button type="button" disabled={setStatus.isPending} onClick={() => setStatus.mutate({ taskId: k.id, done: k.status === 'open' })} aria-label={`${k.status === 'open' ? t('caseTasks.markDone') : t('caseTasks.reopen')}: ${k.title}`}>
                      {k.status === 'open' ? t('caseTasks.markDone') : t('caseTasks.reopen')}
                    </button>
                  </td>
                ),
              },
            }
          : {})}
      />
      <ErrorMessage error={setStatus.error} />
      {writer && <AddTask caseId={detail.id} />}
    </section>
  );
}

function AddTask({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const add = useAddTask(caseId);
  const [title, setTitle] = useState('');
  const [ownerId, setOwnerId] = useState('');
  const [due, setDue] = useState('');
  return (
    <form
      className="inline-form"
      aria-label={t('caseTasks.add')}
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate(
          { title, ownerId: ownerId === '' ? null : ownerId, dueAt: due === '' ? null : endOfLocalDay(due) },
          {
            onSuccess: () => {
              setTitle('');
              setOwnerId('');
              setDue('');
            },
          },
        );
      }}
    >
      <label>
        {t('caseTasks.titleField')}
        <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} />
      </label>
      <PeoplePicker label={t('caseTasks.ownerField')} value={ownerId} onChange={setOwnerId} emptyLabel={t('caseTasks.nobody')} />
      <DateField label={t('caseTasks.dueField')} value={due} onChange={setDue} />
      <button type="submit" disabled={add.isPending}>
        {t('caseTasks.add')}
      </button>
      <ErrorMessage error={add.error} fields={{ title: t('caseTasks.titleField'), ownerId: t('caseTasks.ownerField'), dueAt: t('caseTasks.dueField') }} />
    </form>
  );
}
