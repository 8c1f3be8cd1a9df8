import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../format/format.js';
import type { BaselineGroup, BaselineStatistic, PeerComparison } from './peer-comparison.js';

const GROUP_KEYS: Record<BaselineGroup, string> = { peer: 'chart.group.peer', city: 'chart.group.city', daily: 'chart.group.daily', unit: 'chart.group.unit' };
const STATISTIC_KEYS: Record<BaselineStatistic, string> = { Median: 'chart.statistic.median', Rate: 'chart.statistic.rate', Share: 'chart.statistic.share' };

/** The subject's value against its peers, drawn with the limit the rule used; a histogram when each peer's value is known. */
export function PeerChart({ comparison, subjectLabel }: { comparison: PeerComparison; subjectLabel: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const show = (v: number) => (comparison.isShare ? f.percent(v) : f.number(v, 2));
  const title = t('chart.title', { measure: comparison.subjectFact });
  if (comparison.histogram !== null) {
    const data = comparison.histogram.map((b) => ({ name: `${show(b.from)}–${show(b.to)}`, count: b.count, mine: comparison.subject >= b.from && comparison.subject <= b.to }));
    return (
      <figure className="chart" aria-label={title}>
        <figcaption>{title}</figcaption>
        <ResponsiveContainer width="100%" height={260}>
          <BarChart data={data}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="name" />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Bar dataKey="count" name={t('chart.peersInBin')} isAnimationActive={false}>
              {data.map((d) => (
                <Cell key={d.name} fill={d.mine ? '#c0392b' : '#7f8c8d'} />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </figure>
    );
  }
  const data = [
    { name: subjectLabel, value: comparison.subject, subject: true },
    ...comparison.references.map((r) => ({ name: `${t(GROUP_KEYS[r.group])} · ${t(STATISTIC_KEYS[r.statistic])}`, value: r.value, subject: false })),
  ];
  return (
    <figure className="chart" aria-label={title}>
      <figcaption>{title}</figcaption>
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={data} margin={{ top: 16, right: 24, left: 8, bottom: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="name" />
          <YAxis tickFormatter={show} />
          <Tooltip formatter={(v) => show(Number(v))} />
          <Bar dataKey="value" name={t('chart.value')} isAnimationActive={false}>
            {data.map((d) => (
              <Cell key={d.name} fill={d.subject ? '#c0392b' : '#2c7fb8'} />
            ))}
          </Bar>
          {comparison.limit !== null && (
            <ReferenceLine y={comparison.limit} stroke="#e67e22" strokeDasharray="6 3" label={{ value: t('chart.limit', { value: show(comparison.limit) }), position: 'insideTopRight' }} />
          )}
        </BarChart>
      </ResponsiveContainer>
      <table className="grid compact" aria-label={t('chart.tableLabel')}>
        <tbody>
          {data.map((d) => (
            <tr key={d.name}>
              <th scope="row">{d.name}</th>
              <td className="num">{show(d.value)}</td>
            </tr>
          ))}
          {comparison.mad !== null && (
            <tr>
              <th scope="row">{t('chart.mad')}</th>
              <td className="num">{show(comparison.mad)}</td>
            </tr>
          )}
        </tbody>
      </table>
    </figure>
  );
}
