import { useTranslation } from 'react-i18next';
import type { FlagDetail } from '@qadaga/contracts/api';
import { useFormat, type Formatters } from '../../format/format.js';
import { DIRECTION_KEYS } from './EvidenceChart.js';
import { factLabel, valueInWords } from './display-values.js';

function plain(value: unknown, f: Formatters): string {
  if (typeof value === 'number') return f.number(value, Math.abs(value) < 1 && value !== 0 ? 4 : 2);
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.length <= 5 ? value.join(', ') : `${value.slice(0, 5).join(', ')} … (${f.number(value.length, 0)})`;
  if (value === null || value === undefined) return '—';
  return JSON.stringify(value);
}

/**
 * The facts the rule compared, each beside its limit in the unit it is measured in; every
 * other fact the rule's facts hold is behind a toggle, named in words, not code.
 */
export function FlagFacts({ flag }: { flag: FlagDetail }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { parameters: _parameters, ...facts } = flag.facts;
  const used = new Set(flag.display.map((d) => d.fact));
  const others = Object.entries(facts).filter(([name, value]) => !used.has(name) && typeof value !== 'object');
  const yesNo = (v: unknown) => (v === true ? t('units.yes') : v === false ? t('units.no') : plain(v, f));
  return (
    <section aria-labelledby="facts-heading">
      <h2 id="facts-heading">{t('display.usedFacts')}</h2>
      {flag.display.length === 0 ? (
        <p className="muted">{t('display.noDisplay')}</p>
      ) : (
        <table className="grid compact" aria-label={t('display.usedFacts')}>
          <thead>
            <tr>
              <th scope="col">{t('display.fact')}</th>
              <th scope="col">{t('display.value')}</th>
              <th scope="col">{t('display.limit')}</th>
            </tr>
          </thead>
          <tbody>
            {flag.display.map((d) => (
              <tr key={d.fact}>
                <th scope="row">{factLabel(d.fact, t)}</th>
                <td className="num">
                  <strong>{valueInWords(d.value, d.unit, f, t)}</strong>
                </td>
                <td className="num">
                  {valueInWords(d.threshold.value, d.unit, f, t)} <span className="muted">({t(DIRECTION_KEYS[d.direction])})</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <details>
        <summary>{t('display.otherFacts', { count: others.length })}</summary>
        <table className="grid compact" aria-label={t('flag.facts')}>
          <tbody>
            {others.map(([name, value]) => (
              <tr key={name}>
                <th scope="row">{factLabel(name, t)}</th>
                <td className="num">{yesNo(value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}
