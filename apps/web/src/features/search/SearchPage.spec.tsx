// @vitest-environment happy-dom
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { SearchResults } from '@qadaga/contracts/api';
import { changeLanguage, i18next } from '../../i18n/i18n.js';
import { renderInApp } from '../../testing/render.js';
import { SearchResultsView, searchRefusal } from './SearchPage.js';

const FOUND: SearchResults = {
  vehicles: [{ plate: '123 АВС 02', plateKey: '123ABC02', kind: 'private', violations: 5 }],
  officers: [{ id: 'OF-101', unit: 'AP-1', role: 'reviewer', inRoster: true }, { id: 'OF-777', unit: null, role: null, inRoster: false }],
  cameras: [{ id: 'CAM-C', district: 'Almaly', inRegister: false }],
  violations: [{ ref: 'V-1', status: 'cancelled', plate: '123ABC02', detectedAt: '2026-03-01T05:00:00.000Z', officerIds: ['OF-101'] }],
  cases: [{ id: '6f1f7c1e-3c1a-4f57-9a43-0c1a2b3c4d5e', number: 'C-2026-0007', title: 'Cancellations at the Almaly desk', status: 'investigating' }],
  withheldForRecusal: 0,
};
const NONE: SearchResults = { vehicles: [], officers: [], cameras: [], violations: [], cases: [], withheldForRecusal: 0 };

afterEach(cleanup);

describe('search results', () => {
  it('groups what was found by kind, each a link to its page, in Russian', async () => {
    await renderInApp(<SearchResultsView results={FOUND} q="123 авс" />, { locale: 'ru' });
    expect(screen.getByRole('link', { name: 'Профиль транспорта 123ABC02' }).getAttribute('href')).toBe(`/profiles/vehicle/${encodeURIComponent('123 АВС 02')}`);
    expect(screen.getByRole('link', { name: 'Профиль сотрудника OF-101' }).getAttribute('href')).toBe('/profiles/officer/OF-101');
    expect(screen.getByRole('link', { name: 'Профиль камеры CAM-C' }).getAttribute('href')).toBe('/profiles/camera/CAM-C');
    expect(screen.getByRole('region', { name: 'Камеры (1)' }).textContent).toContain('нет в реестре камер');
    expect(screen.getByRole('link', { name: 'V-1' }).getAttribute('href')).toBe('/violations/V-1');
    expect(screen.getByRole('link', { name: 'C-2026-0007' }).getAttribute('href')).toBe(`/cases/${FOUND.cases[0]?.id}`);
    expect(screen.getByRole('region', { name: 'Транспорт (1)' }).textContent).toContain('5 нарушений');
    expect(screen.getByRole('region', { name: 'Сотрудники (2)' }).textContent).toContain('нет в штатном списке');
    expect(screen.queryByRole('note')).toBeNull();
  });

  it('counts what recusal withheld and says when nothing is left, in Kazakh', async () => {
    await renderInApp(<SearchResultsView results={{ ...NONE, withheldForRecusal: 2 }} q="OF-1" />, { locale: 'kk' });
    expect(screen.getByRole('note').textContent).toMatch(/2 жазба көрсетілмеді/u);
    expect(screen.getByText(/«OF-1» бойынша ештеңе табылмады/u)).toBeTruthy();
    expect(screen.queryAllByRole('region')).toEqual([]);
  });

  it('says why a query is not sent, in the reader’s language', async () => {
    await changeLanguage('ru');
    const t = i18next.t.bind(i18next);
    expect(searchRefusal('7', t)).toBe('Для поиска введите не меньше 2 символов.');
    expect(searchRefusal('x'.repeat(101), t)).toBe('Запрос может быть не длиннее 100 символов.');
    expect(searchRefusal('ab\u0007', t)).toMatch(/управляющие/u);
    expect(searchRefusal('', t)).toMatch(/^Введите в поле поиска/u);
    expect(searchRefusal('123 авс', t)).toBeNull();
  });
});
