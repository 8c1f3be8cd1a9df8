import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { DataState } from '../../components/DataState.js';
import type { RuleDefinition } from '@qadaga/contracts/api';
import { useFormat } from '../../format/format.js';
import { useRules } from '../flags/flags-api.js';
import { CoveragePanel } from './CoveragePanel.js';
import { RULE_STATUS_KEYS } from './labels.js';
import { localRuleText } from './rule-text.js';

export function RulesPage() {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const rules = useRules();
  return (
    <section>
      <h1>{t('rules.title')}</h1>
      <DataState query={rules} isEmpty={(d) => d.length === 0}>
        {(items) => (
          <table className="grid" aria-label={t('rules.title')}>
            <thead>
              <tr>
                <th scope="col">{t('rules.rule')}</th>
                <th scope="col">{t('rules.published')}</th>
                <th scope="col">{t('rules.latest')}</th>
                <th scope="col">{t('rules.hits')}</th>
                <th scope="col">{t('rules.decided')}</th>
                <th scope="col">{t('rules.precision')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.ruleId}>
                  <td>
                    <Link to={`/rules/${encodeURIComponent(r.ruleId)}`}>{r.ruleId}</Link>
                    {r.latest !== null && <RuleTitle definition={r.latest.definition} language={i18n.language} />}
                  </td>
                  <td>{r.publishedVersion === null ? '—' : `v${r.publishedVersion}`}</td>
                  <td>{r.latest === null ? '—' : `v${r.latest.version} · ${t(RULE_STATUS_KEYS[r.latest.status] ?? 'ruleStatus.draft')}`}</td>
                  <td className="num">{f.number(r.hits, 0)}</td>
                  <td className="num">{r.decided === undefined ? '—' : f.number(r.decided, 0)}</td>
                  <td className="num">{r.precision === undefined || r.precision === null ? '—' : f.percent(r.precision)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </DataState>
      <CoveragePanel />
    </section>
  );
}

/** The rule's name in the reader's language, its description on hover. */
function RuleTitle({ definition, language }: { definition: RuleDefinition; language: string }) {
  const text = localRuleText(definition, language);
  return (
    <div className="muted" title={text.description}>
      {text.name}
    </div>
  );
}
