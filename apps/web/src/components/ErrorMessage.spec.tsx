// @vitest-environment happy-dom
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.js';
import { renderInApp } from '../testing/render.js';
import { ErrorMessage } from './ErrorMessage.js';

afterEach(cleanup);

// As the API answers a case opened with a two-letter title and a date that is no date.
const refused = () =>
  new ApiError(422, 'invalid body', [
    { path: 'title', message: 'Too small: expected string to have >=3 characters', code: 'too_small', params: { minimum: 3, origin: 'string' } },
    { path: 'dueAt', message: 'Invalid ISO datetime', code: 'invalid_format', params: { format: 'datetime' } },
    { path: 'flagIds.1', message: 'must be a UUID', code: 'invalid_format', params: { format: 'uuid' } },
  ]);

describe('a refused form in the reader\u2019s language', () => {
  it.each([
    ['ru', 'Исправьте поля формы:', 'Название дела: не менее 3 символов', 'Срок: нужны дата и время'],
    ['kk', 'Форма өрістерін түзетіңіз:', 'Іс атауы: кемінде 3 таңба', 'Мерзім: күн мен уақыт қажет'],
    ['en', 'Some fields need correcting:', 'Case title: at least 3 characters', 'Due: a date and time is needed'],
  ] as const)('names each field as the form does and says why, in %s', async (locale, headline, title, due) => {
    const labels = { ru: ['Название дела', 'Срок'], kk: ['Іс атауы', 'Мерзім'], en: ['Case title', 'Due'] }[locale];
    await renderInApp(<ErrorMessage error={refused()} fields={{ title: labels[0] ?? '', dueAt: labels[1] ?? '' }} />, { locale });
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain(headline);
    expect(alert.textContent).toContain(title);
    expect(alert.textContent).toContain(due);
    // No English of the server's leaks into another language.
    if (locale !== 'en') expect(alert.textContent).not.toMatch(/Too small|Invalid ISO|invalid body/u);
    // A field the form does not name is shown as the server wrote it.
    expect(alert.textContent).toContain('flagIds.1');
  });

  it('falls back to the server\u2019s words for a rule of the endpoint\u2019s own', async () => {
    await renderInApp(<ErrorMessage error={new ApiError(422, 'invalid body', [{ path: 'until', message: 'must be in the future', code: 'custom' }])} />, { locale: 'ru' });
    expect(screen.getByRole('alert').textContent).toContain('until: must be in the future');
  });

  it('says why a rule draft is refused in the reader\u2019s language, and in the server\u2019s words for a reason it does not know', async () => {
    // As the API answers a draft whose condition names a fact officers do not have, that repeats a display entry, and whose Kazakh template does not close a brace.
    const refusedDraft = new ApiError(422, 'the rule is not valid', [
      {
        path: 'definition.conditions.all[0].fact',
        message: 'unknown fact "detections" for officer subjects; valid facts: decisions, adverse',
        code: 'unknownFact',
        params: { fact: 'detections', subject: 'officer', facts: 'decisions, adverse' },
      },
      { path: 'definition.display[1]', message: 'repeats an earlier entry', code: 'displayRepeats', params: {} },
      { path: 'definition.explanation.kk', message: 'unclosed "{" at 12', code: 'templateSyntax', params: {} },
    ]);
    await renderInApp(<ErrorMessage error={refusedDraft} />, { locale: 'ru' });
    const text = screen.getByRole('alert').textContent ?? '';
    expect(text).toContain('definition.conditions.all[0].fact: неизвестный факт «detections» для объектов вида officer; допустимые факты: decisions, adverse');
    expect(text).not.toMatch(/unknown fact/u);
    expect(text).toContain('definition.display[1]: повторяет одну из предыдущих записей');
    expect(text).not.toMatch(/repeats an earlier entry/u);
    expect(text).toContain('definition.explanation.kk: unclosed "{" at 12');
    cleanup();
    await renderInApp(<ErrorMessage error={refusedDraft} />, { locale: 'kk' });
    expect(screen.getByRole('alert').textContent).toContain('officer түріндегі нысандар үшін «detections» деген белгісіз факт');
  });
});
