import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useTranslation } from 'react-i18next';
import type { FlagDisplay } from '@qadaga/contracts/api';
import { useFormat } from '../../format/format.js';
import { districtText, officerRoleText } from '../../i18n/vocabulary.js';
import { axisValue, factLabel, valueInWords } from './display-values.js';

const SUBJECT = '#c0392b';
const PEER = '#95a5a6';
const LIMIT = '#e67e22';

export const DIRECTION_KEYS: Record<FlagDisplay['direction'], string> = { above: 'display.above', below: 'display.below', equal: 'display.equal' };

/**
 * One way the rule fired, drawn as the rule compared it: the subject's value of the fact
 * against every peer of its group (each peer a bar, this subject in red), with the rule's
 * limit as a line. Without peers, the subject's value against the limit alone. The table
 * under it carries the same numbers, for a reader who cannot see the chart.
 */
export function EvidenceChart({ entry, subjectId }: { entry: FlagDisplay; subjectId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const label = factLabel(entry.fact, t);
  const limit = typeof entry.threshold.value === 'number' ? entry.threshold.value : null;
  const numeric = typeof entry.value === 'number';
  const peers = entry.peers;
  const data =
    peers !== null && numeric
      ? peers.values.map((p, i) => ({ name: p.self ? subjectId : `${t('display.peerBar')} ${i + 1}`, value: p.value, self: p.self }))
      : numeric
        ? [{ name: subjectId, value: entry.value as number, self: true }]
        : [];
  return (
    <figure className="chart evidence-chart" aria-label={label}>
      <figcaption>
        <strong>{label}</strong>: {valueInWords(entry.value, entry.unit, f, t)} ·{' '}
        {entry.direction === 'equal'
          ? t('display.flags', { value: valueInWords(entry.threshold.value, entry.unit, f, t) })
          : `${t('display.limit')} ${valueInWords(entry.threshold.value, entry.unit, f, t)} (${t(DIRECTION_KEYS[entry.direction])})`}
      </figcaption>
      {data.length > 0 && (
        <ResponsiveContainer width="100%" height={240}>
          <BarChart data={data} margin={{ top: 20, right: 24, left: 8, bottom: 8 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="name" tick={data.length <= 12} interval={0} />
            <YAxis
              tickFormatter={(v: number) => axisValue(v, entry.unit, f)}
              domain={[(min: number) => Math.min(0, min, limit ?? 0), (max: number) => Math.max(max, limit ?? 0) * 1.1]}
            />
            <Tooltip formatter={(v) => valueInWords(Number(v), entry.unit, f, t)} />
            {/* A peer at or near zero still gets a sliver, so every peer is seen, not only the tall ones. */}
            <Bar dataKey="value" name={label} isAnimationActive={false} minPointSize={3}>
              {data.map((d) => (
                <Cell key={d.name} fill={d.self ? SUBJECT : PEER} />
              ))}
            </Bar>
            {limit !== null && (
              <ReferenceLine y={limit} stroke={LIMIT} strokeWidth={2} strokeDasharray="6 3" ifOverflow="extendDomain" label={{ value: t('display.limitLine', { value: axisValue(limit, entry.unit, f) }), position: 'insideTopRight', fill: LIMIT }} />
            )}
          </BarChart>
        </ResponsiveContainer>
      )}
      {peers !== null && (
        <p className="muted">
          {t('display.peers', {
            count: peers.total - 1,
            group:
              Object.entries(peers.group)
                .flatMap(([k, v]) => (v === null ? [] : [k === 'role' ? officerRoleText(v, t) : k === 'district' ? districtText(v, t) : v]))
                .join(' · ') || t('display.city'),
          })}
          {peers.omitted > 0 && <> · {t('display.omitted', { count: peers.omitted })}</>}
        </p>
      )}
    </figure>
  );
}
