// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CasePage, CaseSummary } from '@qadaga/contracts/api';
import { renderInApp } from '../../testing/render.js';
import { CaseBoardPage } from './CaseBoardPage.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const summary = (number: string, title: string): CaseSummary => ({
  id: `00000000-0000-4000-8000-${number.replace(/\D/gu, '').padStart(12, '0')}`,
  number,
  title,
  status: 'open',
  outcome: null,
  assigneeId: null,
  assignee: null,
  dueAt: null,
  overdue: false,
  flagCount: 1,
  createdBy: 'user:x',
  createdAt: '2026-12-01T00:00:00Z',
  updatedAt: '2026-12-01T00:00:00Z',
  closeRequest: null,
  closedBy: null,
  closedAt: null,
});

const ALL: CaseSummary[] = [summary('C-2026-0001', 'Night cancellations'), summary('C-2026-0002', 'Speed edited down')];

/** The server's search, as the API runs it: the page only sends q and shows what comes back. */
function serve() {
  const asked: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string) => {
      const url = new URL(input, 'http://workbench');
      asked.push(url.search);
      const q = url.searchParams.get('q')?.toLowerCase() ?? '';
      const items = ALL.filter((c) => q === '' || c.number.toLowerCase().startsWith(q) || c.title.toLowerCase().includes(q));
      const page: CasePage = { items, total: items.length };
      return new Response(JSON.stringify(page), { status: 200, headers: { 'content-type': 'application/json' } });
    }),
  );
  return asked;
}

describe('the case board', () => {
  it('asks the server for the cases matching a search and says in Russian when none does', async () => {
    const asked = serve();
    await renderInApp(<CaseBoardPage />, { locale: 'ru' });
    await screen.findByRole('link', { name: 'C-2026-0001 · Night cancellations' });
    fireEvent.change(screen.getByLabelText('Поиск дел'), { target: { value: 'speed' } });
    await waitFor(() => expect(screen.queryByRole('link', { name: 'C-2026-0001 · Night cancellations' })).toBeNull());
    expect(screen.getByRole('link', { name: 'C-2026-0002 · Speed edited down' })).toBeTruthy();
    expect(asked).toContain('?q=speed');
    fireEvent.change(screen.getByLabelText('Поиск дел'), { target: { value: 'nothing like it' } });
    expect(await screen.findByText('По запросу «nothing like it» дел не найдено.')).toBeTruthy();
  });
});
