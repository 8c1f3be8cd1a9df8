// @vitest-environment happy-dom
import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CoverageReport } from '@qadaga/contracts/api';
import { renderInApp } from '../../testing/render.js';
import { CoverageView } from './CoveragePanel.js';

afterEach(cleanup);

// Another city's export, dated to the day and never reporting a delivery, beside the city's own register.
const report: CoverageReport = {
  asOf: '2026-04-10T19:00:00.001Z',
  asOfBasis: 'history-end',
  sources: [
    { source: 'reg', events: 1200, eventTypes: { detected: 300, confirmed: 300, notice_issued: 300, notice_delivered: 200, paid: 100 }, precision: 'instant', firstAt: '2026-01-01T00:00:00.000Z', lastAt: '2026-04-10T00:00:00.000Z' },
    { source: 'xcity', events: 716, eventTypes: { detected: 300, confirmed: 300, notice_issued: 116 }, precision: 'day', firstAt: '2026-01-01T19:00:00.000Z', lastAt: '2026-04-10T19:00:00.000Z' },
  ],
  rules: [
    {
      ruleId: 'notice-not-delivered', version: 1, subject: 'source', windowDays: 365,
      needs: [{ fact: 'noticesUndelivered', reason: 'reports no deliveries', code: 'no_delivery' }],
      sources: [
        { source: 'reg', judges: 'judges', unsupported: [] },
        { source: 'xcity', judges: 'cannot', unsupported: [{ fact: 'noticesUndelivered', reason: 'reports no deliveries', code: 'no_delivery' }] },
      ],
      subjects: 2, subjectsPartlyJudged: 0, subjectsNotJudged: 1, itemsNotJudged: 116,
    },
    { ruleId: 'officer-outlier-rate', version: 1, subject: 'officer', windowDays: 180, needs: [], sources: [], subjects: 0, subjectsPartlyJudged: 0, subjectsNotJudged: 0, itemsNotJudged: 0 },
  ],
};

describe('the coverage panel', () => {
  it.each([
    ['en', 'dates only', 'notice delivered, paid', 'xcity: not at all (reports no deliveries)'],
    ['ru', 'только даты', null, 'xcity: никак (не сообщает о вручении)'],
    ['kk', 'тек күндер', null, 'xcity: мүлде (табыстау туралы хабарламайды)'],
  ] as const)('says in %s which source a rule cannot judge and why, and how many subjects went unjudged', async (locale, dates, step, why) => {
    await renderInApp(<CoverageView report={report} />, { locale });
    const sources = screen.getAllByRole('table')[0] as HTMLElement;
    const xcity = within(sources).getByText('xcity').closest('tr') as HTMLElement;
    expect(xcity.textContent).toContain(dates);
    if (step !== null) expect(xcity.textContent).toContain(step);
    const rules = screen.getAllByRole('table')[1] as HTMLElement;
    const row = within(rules).getByText('notice-not-delivered').closest('tr') as HTMLElement;
    expect(row.textContent).toContain(why);
    expect(within(row).getAllByRole('cell').map((c) => c.textContent)).toEqual(['notice-not-delivered', why, '1', '116']);
    // A rule that needs nothing a source may lack is not listed.
    expect(within(rules).queryByText('officer-outlier-rate')).toBeNull();
  });

  it('says so when every rule can judge every source', async () => {
    await renderInApp(<CoverageView report={{ ...report, rules: [report.rules[1] as CoverageReport['rules'][number]] }} />, { locale: 'en' });
    expect(screen.getByRole('status').textContent).toBe('Every published rule can judge every source’s data.');
  });
});
