// @vitest-environment happy-dom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CaseDetail, CaseTimelineEntry } from '@qadaga/contracts/api';
import { formatters } from '../../format/format.js';
import { changeLanguage, i18next } from '../../i18n/i18n.js';
import { renderInApp } from '../../testing/render.js';
import { caseEventText } from './case-event-text.js';
import { CaseTasks } from './CaseTasks.js';
import { CloseRequestForm } from './CloseRequestForm.js';

const entry = (action: string, details: CaseTimelineEntry['details']): CaseTimelineEntry => ({ at: '2026-05-04T05:00:00Z', actor: 'u-1', actorName: 'Aigerim', action, details });

async function sentence(e: CaseTimelineEntry, lng: 'en' | 'ru' | 'kk'): Promise<string> {
  await changeLanguage(lng);
  return caseEventText(e, i18next.t.bind(i18next), formatters(lng));
}

const TASK = {
  id: '00000000-0000-4000-8000-0000000000b1',
  title: 'Question officer OFF-17',
  owner: { id: '00000000-0000-4000-8000-0000000000a2', displayName: 'Yerzhan Prosecutor' },
  dueAt: '2026-12-10T18:59:59Z',
  status: 'open' as const,
  createdBy: 'user:a1',
  createdByName: 'Aigerim',
  createdAt: '2026-12-01T07:00:00Z',
  doneBy: null,
  doneByName: null,
  doneAt: null,
};

const CASE = {
  id: '00000000-0000-4000-8000-0000000000c1',
  number: 'C-2026-0007',
  title: 'Cancellations of one car',
  status: 'open',
  outcome: null,
  tasks: [TASK, { ...TASK, id: '00000000-0000-4000-8000-0000000000b2', title: 'Read the orders', owner: null, dueAt: null, status: 'done', doneBy: 'user:a1', doneByName: 'Aigerim', doneAt: '2026-12-02T07:00:00Z' }],
} as unknown as CaseDetail;

afterEach(cleanup);

describe('case tasks', () => {
  it('says each task step on the timeline in words, in every language', async () => {
    const added = entry('task_added', { taskId: 'x', title: 'Question officer OFF-17', ownerId: 'a2', ownerName: 'Yerzhan', dueAt: '2026-12-10T18:59:59Z' });
    expect(await sentence(added, 'en')).toBe('added the task “Question officer OFF-17” for Yerzhan, due by 10 Dec 2026');
    expect(await sentence(added, 'kk')).toBe('«Question officer OFF-17» тапсырмасын жүктеді: Yerzhan, мерзімі — 2026 ж. 10 жел.');
    expect(await sentence(entry('task_added', { taskId: 'x', title: 'Read the orders', ownerId: null, ownerName: null, dueAt: null }), 'ru')).toBe('добавил(а) задачу «Read the orders»');
    expect(await sentence(entry('task_done', { taskId: 'x', title: 'Read the orders' }), 'ru')).toBe('отметил(а) задачу «Read the orders» выполненной');
    expect(await sentence(entry('task_reopened', { taskId: 'x', title: 'Read the orders' }), 'en')).toBe('returned the task “Read the orders” to work');
    expect(await sentence(entry('close_requested', { outcome: 'unfounded', reason: 'no fault', openTasks: 2 }), 'ru')).toBe(
      'запросил(а) закрытие с итогом «не подтвердилось»: no fault, когда 2 задачи ещё не были выполнены',
    );
  });

  it('lists the tasks with who is responsible, when they are due and whether they are done', async () => {
    await renderInApp(<CaseTasks detail={CASE} />, { locale: 'ru' });
    expect(screen.getByRole('heading', { name: /Задачи · 1 задача не выполнена/u })).toBeTruthy();
    expect(screen.getByRole('row', { name: /Question officer OFF-17/u }).textContent).toMatch(/Yerzhan Prosecutor.*10 дек\. 2026.*не выполнена/u);
    expect(screen.getByRole('row', { name: /Read the orders/u }).textContent).toMatch(/не назначен.*выполнена \(выполнил\(а\) Aigerim/u);
  });

  it('warns in words before a close is sent: an outcome must be chosen, and open tasks confirmed', async () => {
    const fetch = vi.spyOn(globalThis, 'fetch');
    await renderInApp(<CloseRequestForm detail={CASE} />, { locale: 'ru' });
    expect(screen.getByRole('note', { name: 'Перед запросом на закрытие' }).textContent).toContain('По делу не выполнена 1 задача.');
    fireEvent.click(screen.getByRole('button', { name: 'Запросить закрытие' }));
    const alert = screen.getByRole('alert').textContent ?? '';
    expect(alert).toContain('Запрос на закрытие не отправлен.');
    expect(alert).toContain('Выберите итог дела');
    expect(alert).toContain('По делу не выполнена 1 задача.');
    fireEvent.change(screen.getByLabelText('Итог'), { target: { value: 'unfounded' } });
    fireEvent.click(screen.getByRole('button', { name: 'Запросить закрытие' }));
    expect(screen.getByRole('alert').textContent).not.toContain('Выберите итог дела');
    expect(fetch).not.toHaveBeenCalled();
    fetch.mockRestore();
  });
});
