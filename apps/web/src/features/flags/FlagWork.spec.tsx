// @vitest-environment happy-dom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FlagDetail } from '@qadaga/contracts/api';
import { renderInApp } from '../../testing/render.js';
import { sampleFlag } from '../../testing/sample-flag.js';
import { FlagAssignment } from './FlagAssignment.js';
import { FlagComments } from './FlagComments.js';

const FLAG: FlagDetail = {
  ...sampleFlag({ id: '00000000-0000-4000-8000-000000000001' }),
  history: [],
  evidenceEvents: [],
  comments: [{ id: '1', authorId: 'user:a', authorName: 'Айгерім Сейітова', at: '2026-12-01T05:30:00.000Z', text: 'Ауысым кестесін сұрадым.' }],
};

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('work on a flag before a case', () => {
  it('lists comments with their author and time in the reader’s language', async () => {
    await renderInApp(<FlagComments flag={FLAG} writer={false} />, { locale: 'kk' });
    const list = screen.getByRole('list', { name: 'Пікірлер' });
    expect(list.textContent).toContain('Айгерім Сейітова · 2026 ж. 01 жел., 10:30');
    expect(list.textContent).toContain('Ауысым кестесін сұрадым.');
    expect(screen.queryByRole('form')).toBeNull();
  });

  it('puts the server’s refusal of an empty comment in Russian, naming the field', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        new Response(JSON.stringify({ statusCode: 422, message: 'invalid body', reasons: [{ path: 'text', message: 'a comment cannot be empty', code: 'too_small', params: { origin: 'string', minimum: 1 } }] }), {
          status: 422,
          headers: { 'content-type': 'application/json' },
        }),
      ),
    );
    await renderInApp(<FlagComments flag={{ ...FLAG, comments: [] }} writer />, { locale: 'ru' });
    expect(screen.getByText('Комментариев пока нет.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Добавить комментарий' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Комментарий: ');
    expect(alert.textContent).toContain('не менее 1 символа');
  });

  it('shows who has the flag and by when, saying in words that it is overdue', async () => {
    await renderInApp(<FlagAssignment flag={{ ...FLAG, assignee: { id: 'u', displayName: 'Айгерім Сейітова' }, dueAt: '2020-01-01T18:59:59.999Z' }} writer={false} />, { locale: 'ru' });
    const section = screen.getByRole('region', { name: 'Кто проверяет и к какому сроку' });
    expect(section.textContent).toContain('Исполнитель: Айгерім Сейітова');
    expect(section.textContent).toContain('просрочено');
  });
});
