// @vitest-environment happy-dom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderInApp } from '../testing/render.js';
import { PeoplePicker } from './PeoplePicker.js';

const ME = '00000000-0000-4000-8000-00000000000a';
const OTHER = '00000000-0000-4000-8000-00000000000b';
const answer = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

afterEach(() => {
  cleanup();
  sessionStorage.clear();
  vi.unstubAllGlobals();
});

describe('the people picker', () => {
  it('lists the prosecutors by name, marks the reader, and gives the id chosen', async () => {
    const fetch = vi.fn(async (_url: RequestInfo | URL) =>
      answer(200, { items: [{ id: ME, username: 'aigerim', displayName: 'Айгерім Сейітова', roles: ['prosecutor'] }, { id: OTHER, username: 'oleg', displayName: 'Олег Ким', roles: ['prosecutor'] }] }),
    );
    vi.stubGlobal('fetch', fetch);
    sessionStorage.setItem('qadaga.session', JSON.stringify({ token: 't', user: { id: ME, username: 'aigerim', displayName: 'Айгерім Сейітова', roles: ['prosecutor'], locale: 'ru', officerId: null, unit: null } }));
    const chosen: string[] = [];
    await renderInApp(<PeoplePicker label="Исполнитель" value="" onChange={(id) => chosen.push(id)} emptyLabel="никто" />, { locale: 'ru' });
    const select = screen.getByRole('combobox', { name: 'Исполнитель' });
    expect(await screen.findByRole('option', { name: 'Олег Ким' })).toBeTruthy();
    expect([...select.querySelectorAll('option')].map((o) => o.textContent)).toEqual(['никто', 'Айгерім Сейітова (я)', 'Олег Ким']);
    expect(String(fetch.mock.calls[0]?.[0])).toContain('/v1/users?role=prosecutor');
    fireEvent.change(select, { target: { value: OTHER } });
    expect(chosen).toEqual([OTHER]);
  });

  it('says so when the people cannot be loaded', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => answer(403, { statusCode: 403, message: 'auditors may not list people', reasons: [] })));
    await renderInApp(<PeoplePicker label="Assignee" value="" onChange={() => undefined} emptyLabel="nobody" />);
    expect((await screen.findByRole('alert')).textContent).toContain('You may not do this:');
  });
});
