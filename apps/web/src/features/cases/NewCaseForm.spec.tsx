// @vitest-environment happy-dom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Locale } from '@qadaga/contracts/api';
import { renderInApp } from '../../testing/render.js';
import { sampleFlag } from '../../testing/sample-flag.js';
import { NewCaseForm } from './NewCaseForm.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const myWork = () => {
  const { id, ruleId, scheme, severity, status, subjectKind, subjectId, explanation, unit, district } = sampleFlag({ id: '00000000-0000-4000-8000-000000000001' });
  const flag = { id, ruleId, scheme, severity, status, subjectKind, subjectId, explanation, unit, district, dueAt: null, overdue: false };
  return new Response(JSON.stringify({ flags: [flag], cases: [], withheld: { flags: 0, cases: 0 } }), { status: 200, headers: { 'content-type': 'application/json' } });
};

describe('a new case from the board', () => {
  it.each([
    ['ru', 'Дело открывается хотя бы по одному сигналу', 'самоотвод'],
    ['kk', 'Іс кемінде бір белгі бойынша ашылады', 'бас тартуға'],
    ['en', 'A case is opened from at least one flag', 'stand aside'],
  ] as const)('says in %s, while no flag is chosen, that a case rests on one and why', async (locale: Locale, opening, recusal) => {
    vi.stubGlobal('fetch', vi.fn(async () => myWork()));
    await renderInApp(<NewCaseForm onCancel={() => undefined} />, { locale });
    const note = screen.getByRole('note');
    expect(note.textContent).toContain(opening);
    expect(note.textContent).toContain(recusal);
    fireEvent.click(await screen.findByRole('checkbox'));
    expect(screen.queryByRole('note')).toBeNull();
    fireEvent.click(screen.getByRole('checkbox'));
    expect(screen.getByRole('note').textContent).toContain(opening);
  });
});
