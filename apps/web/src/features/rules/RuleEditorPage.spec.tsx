// @vitest-environment happy-dom
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Locale, NamedRuleVersion } from '@qadaga/contracts/api';
import { renderInApp } from '../../testing/render.js';
import { RuleEditor } from './RuleEditorPage.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const version: NamedRuleVersion = {
  ruleId: 'protected-plate',
  version: 1,
  status: 'published',
  definition: {
    id: 'protected-plate',
    name: 'Protected plate',
    description: 'Per plate over 180 days.',
    translations: {
      ru: { name: 'Защищённый номер', description: 'По номеру за 180 дней.', parameters: { minShare: 'Наименьшая доля фиксаций номера, которые были отклонены или по которым штраф отменён.' } },
      kk: { name: 'Қорғалған нөмір', description: 'Нөмір бойынша 180 күн ішінде.', parameters: { minShare: 'Нөмір тіркеулерінің қабылданбаған немесе айыппұлы жойылған ең аз үлесі.' } },
    },
    detects: 'protected_plate',
    subject: 'vehicle',
    windowDays: 180,
    severity: 'high',
    parameters: { minShare: { default: 0.5, min: 0, max: 1, description: 'Smallest share of the plate’s detections rejected or cancelled.' } },
  },
  definitionHash: 'h',
  authorId: 'system',
  approvedBy: 'system',
  publishedBy: 'system',
  createdAt: '2026-12-01T00:00:00.000Z',
  publishedAt: '2026-12-01T00:00:00.000Z',
  authorName: 'system',
  approvedByName: 'system',
  publishedByName: 'system',
};

describe('the rule page’s parameters', () => {
  it.each([
    ['ru', 'Параметры', 'Наименьшая доля фиксаций номера, которые были отклонены или по которым штраф отменён.'],
    ['kk', 'Параметрлер', 'Нөмір тіркеулерінің қабылданбаған немесе айыппұлы жойылған ең аз үлесі.'],
    ['en', 'Parameters', 'Smallest share of the plate’s detections rejected or cancelled.'],
  ] as const)('describe each parameter in the reader’s language (%s)', async (locale: Locale, heading, description) => {
    // The backtest and the schema stay loading: only the parameters are read here.
    vi.stubGlobal('fetch', vi.fn(() => new Promise<Response>(() => undefined)));
    await renderInApp(<RuleEditor ruleId="protected-plate" versions={[version]} />, { locale });
    const form = screen.getByRole('form', { name: heading });
    expect(form.textContent).toContain('minShare');
    expect(form.textContent).toContain(description);
  });
});
