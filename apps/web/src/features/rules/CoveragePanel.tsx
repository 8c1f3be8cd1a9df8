import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { coverageEndpoints, type CoverageReport } from '@qadaga/contracts/api';
import { call } from '../../api/call.js';
import { DataState } from '../../components/DataState.js';
import { useFormat } from '../../format/format.js';
import { eventTypeText } from '../../i18n/vocabulary.js';

type Precision = CoverageReport['sources'][number]['precision'];
type Code = CoverageReport['rules'][number]['needs'][number]['code'];

const PRECISION_KEYS: Record<Precision, string> = {
  instant: 'coverage.precision.instant',
  minute: 'coverage.precision.minute',
  day: 'coverage.precision.day',
  unknown: 'coverage.precision.unknown',
};

const REASON_KEYS: Record<Code, string> = {
  no_review: 'coverage.reason.no_review',
  no_notice: 'coverage.reason.no_notice',
  no_delivery: 'coverage.reason.no_delivery',
  no_treasury: 'coverage.reason.no_treasury',
  no_seconds: 'coverage.reason.no_seconds',
  dates_only: 'coverage.reason.dates_only',
};

/** The steps whose absence a rule may count: a source that never reports one cannot be judged on it. */
const STEPS = ['detected', 'confirmed', 'notice_issued', 'notice_delivered', 'paid'] as const;

export function useCoverage() {
  // A report computes a sweep's facts: asked for once per visit, not on every focus.
  return useQuery({ queryKey: ['coverage'], queryFn: () => call(coverageEndpoints.get, { query: {} }), staleTime: 5 * 60_000 });
}

/**
 * What the published rules can judge of each source's data. A source that never reports a
 * step, or dates its events without a time, leaves some rules silent about it; this says
 * so, rule by rule, so the silence is not read as a clean result.
 */
export function CoveragePanel() {
  const { t } = useTranslation();
  const coverage = useCoverage();
  return (
    <section aria-labelledby="coverage-title">
      <h2 id="coverage-title">{t('coverage.title')}</h2>
      <DataState query={coverage} isEmpty={(d) => d.sources.length === 0}>
        {(report) => <CoverageView report={report} />}
      </DataState>
    </section>
  );
}

/** The report itself: the sources and how finely they time events, then the rules that cannot judge some of them. */
export function CoverageView({ report }: { report: CoverageReport }) {
  const { t } = useTranslation();
  const f = useFormat();
  const blind = report.rules.filter((r) => r.sources.some((s) => s.judges !== 'judges') || r.itemsNotJudged > 0);
  return (
    <>
      <p className="muted">{t(report.asOfBasis === 'history-end' ? 'coverage.asOfHistoryEnd' : 'coverage.asOf', { asOf: f.dateTime(report.asOf) })}</p>
      <table className="grid" aria-label={t('coverage.sources')}>
        <thead>
          <tr>
            <th scope="col">{t('coverage.source')}</th>
            <th scope="col">{t('coverage.events')}</th>
            <th scope="col">{t('coverage.times')}</th>
            <th scope="col">{t('coverage.neverReported')}</th>
          </tr>
        </thead>
        <tbody>
          {report.sources.map((s) => {
            const missing = STEPS.filter((type) => (s.eventTypes[type] ?? 0) === 0);
            return (
              <tr key={s.source}>
                <td>{s.source}</td>
                <td className="num">{f.number(s.events, 0)}</td>
                <td>{t(PRECISION_KEYS[s.precision])}</td>
                <td>{missing.length === 0 ? '—' : missing.map((type) => eventTypeText(type, t)).join(', ')}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {blind.length === 0 ? (
        <p role="status">{t('coverage.allJudged')}</p>
      ) : (
        <table className="grid" aria-label={t('coverage.rules')}>
          <thead>
            <tr>
              <th scope="col">{t('rules.rule')}</th>
              <th scope="col">{t('coverage.cannotJudge')}</th>
              <th scope="col">{t('coverage.subjectsNotJudged')}</th>
              <th scope="col">{t('coverage.itemsNotJudged')}</th>
            </tr>
          </thead>
          <tbody>
            {blind.map((r) => (
              <tr key={r.ruleId}>
                <td>{r.ruleId}</td>
                <td>{sourcesNotJudged(r, t) || '—'}</td>
                <td className="num">{f.number(r.subjectsNotJudged, 0)}</td>
                <td className="num">{f.number(r.itemsNotJudged, 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** "xcity: not at all (reports no deliveries)", one per source the rule cannot wholly judge. */
function sourcesNotJudged(rule: CoverageReport['rules'][number], t: TFunction): string {
  return rule.sources
    .filter((s) => s.judges !== 'judges')
    .map((s) =>
      t(s.judges === 'cannot' ? 'coverage.notAtAll' : 'coverage.partly', {
        source: s.source,
        reason: [...new Set(s.unsupported.map((u) => t(REASON_KEYS[u.code])))].join('; '),
      }),
    )
    .join(' · ');
}
