// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { formatters } from '../../format/format.js';
import { changeLanguage, i18next } from '../../i18n/i18n.js';
import { queryText } from './BundleList.js';

describe('a query bundle in the list', () => {
  it('says what it was asked for: subjects, rules and the period with its last day', async () => {
    await changeLanguage('ru');
    const text = queryText(
      { subjects: [{ kind: 'officer', id: 'OF-101' }, { kind: 'vehicle', id: '123ABC02' }], ruleIds: ['officer-outlier-rate'], from: '2026-09-08T00:00:00+05:00', to: '2026-12-09T00:00:00+05:00' },
      i18next.t.bind(i18next),
      formatters('ru'),
    );
    expect(text).toBe(`сотрудник OF-101; транспорт 123ABC02; правила officer-outlier-rate; ${formatters('ru').date('2026-09-08T00:00:00+05:00')} – ${formatters('ru').date('2026-12-08T12:00:00+05:00')}`);
    expect(text).toMatch(/08\.12\.2026|8 дек/u);
  });
});
