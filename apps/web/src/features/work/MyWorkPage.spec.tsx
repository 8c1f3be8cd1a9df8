// @vitest-environment happy-dom
import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaseSummary, MyFlag, MyWork } from '@qadaga/contracts/api';
import { renderInApp } from '../../testing/render.js';
import { MyWorkView } from './MyWorkPage.js';

afterEach(cleanup);

const flag = (id: string, dueAt: string | null, overdue: boolean): MyFlag => ({
  id: `00000000-0000-4000-8000-00000000000${id}`,
  ruleId: 'officer-outlier-rate',
  scheme: 'officer_outlier_rate',
  severity: 'high',
  status: 'triaged',
  subjectKind: 'officer',
  subjectId: `OFF-${id}`,
  explanation: { en: 'Cancelled 38 of 40', kk: '40 айыптың 38-ін жойды' },
  unit: 'U1',
  district: 'Almaly',
  dueAt,
  overdue,
});

const caseOf = (dueAt: string | null, overdue: boolean): CaseSummary => ({
  id: '00000000-0000-4000-8000-0000000000c1',
  number: 'C-2026-0007',
  title: 'Night cancellations',
  status: 'investigating',
  outcome: null,
  assigneeId: null,
  assignee: null,
  dueAt,
  overdue,
  flagCount: 2,
  createdBy: 'user:x',
  createdAt: '2026-11-01T00:00:00Z',
  updatedAt: '2026-11-01T00:00:00Z',
  closeRequest: null,
  closedBy: null,
  closedAt: null,
});

const WORK: MyWork = {
  flags: [flag('1', '2026-12-01T18:59:59.999Z', true), flag('2', '2026-12-09T18:59:59.999Z', false), flag('3', null, false)],
  cases: [caseOf('2026-12-20T18:59:59.999Z', false)],
  withheld: { flags: 1, cases: 1 },
};

describe('my work', () => {
  it('reads in Kazakh: due dates in Kazakh, the overdue one marked in words, and what was withheld counted', async () => {
    await renderInApp(<MyWorkView work={WORK} />, { locale: 'kk' });
    const flags = screen.getByRole('table', { name: 'Менің белгілерім (3)' });
    const rows = within(flags).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell')[0]?.textContent)).toEqual(['мерзімі 2026 ж. 01 жел. — мерзімі өткен', 'мерзімі 2026 ж. 09 жел.', 'мерзімсіз']);
    expect(within(rows[0]!).getAllByRole('link')[0]?.getAttribute('href')).toBe('/flags/00000000-0000-4000-8000-000000000001');
    expect(rows[0]?.textContent).toContain('40 айыптың 38-ін жойды');
    const cases = screen.getByRole('table', { name: 'Менің істерім (1)' });
    expect(within(cases).getByRole('link', { name: 'C-2026-0007 · Night cancellations' }).getAttribute('href')).toBe('/cases/00000000-0000-4000-8000-0000000000c1');
    expect(screen.getByRole('note').textContent).toContain('Сізге тағайындалған 2 жазба көрсетілмейді');
  });

  it('says there is nothing, and withholds nothing unsaid', async () => {
    await renderInApp(<MyWorkView work={{ flags: [], cases: [], withheld: { flags: 0, cases: 0 } }} />, { locale: 'ru' });
    expect(screen.getByText('Вам не назначено открытых сигналов.')).toBeTruthy();
    expect(screen.getByText('Вам не назначено открытых дел.')).toBeTruthy();
    expect(screen.queryByRole('note')).toBeNull();
  });
});
