import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { CartesianGrid, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import { violationEndpoints, type ViolationTimelineEntry } from '@qadaga/contracts/api';
import { EVENT_TYPES, limitationDeadline, paymentDeadline, type EventType } from '@qadaga/domain';
import { call } from '../../api/call.js';
import { DataState } from '../../components/DataState.js';
import { useFormat } from '../../format/format.js';
import { EVENT_TYPE_KEYS } from '../../i18n/vocabulary.js';

interface Deadline {
  key: 'timeline.limitation' | 'timeline.payment';
  at: number;
  /** The step that had to come before it did not. */
  missed: boolean;
}

/**
 * The deadlines of a fine that its steps are measured against: the limitation period from
 * the offence (a notice must come before it) and the payment deadline from the first
 * notice (payment or enforcement must come before it), each marked missed when its step
 * did not come in time. The rules come from the domain, as the facts' do.
 */
export function deadlinesOf(timeline: readonly ViolationTimelineEntry[], now: number): Deadline[] {
  const first = (type: EventType) => timeline.filter((e) => e.event.type === type).map((e) => Date.parse(e.event.occurredAt)).sort((a, b) => a - b)[0];
  const detected = first('detected');
  const notice = first('notice_issued');
  const settled = Math.min(first('paid') ?? Infinity, first('sent_to_enforcement') ?? Infinity, first('cancelled') ?? Infinity);
  const out: Deadline[] = [];
  if (detected !== undefined) {
    const at = limitationDeadline(detected);
    out.push({ key: 'timeline.limitation', at, missed: (notice ?? Infinity) > at && now > at });
  }
  if (notice !== undefined) {
    const at = paymentDeadline(notice);
    out.push({ key: 'timeline.payment', at, missed: settled > at && now > at });
  }
  return out;
}

/** A violation's steps on a time line, one row per kind of step, with its deadlines drawn and the missed one in red. */
export function ViolationTimeline({ violationRef }: { violationRef: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const violation = useQuery({ queryKey: ['violation', violationRef], queryFn: () => call(violationEndpoints.get, { params: { ref: violationRef } }) });
  return (
    <DataState query={violation}>
      {({ timeline }) => {
        const points = timeline.map((e) => ({ x: Date.parse(e.event.occurredAt), y: EVENT_TYPES.indexOf(e.event.type), label: t(EVENT_TYPE_KEYS[e.event.type]) }));
        const deadlines = deadlinesOf(timeline, Date.now());
        const xs = [...points.map((p) => p.x), ...deadlines.map((d) => d.at)];
        const types = [...new Set(points.map((p) => p.y))].sort((a, b) => a - b);
        return (
          <figure className="chart" aria-label={t('timeline.title')}>
            <figcaption>
              {t('timeline.title')}
              {deadlines.map((d) => (
                <span key={d.key} className={d.missed ? 'bad' : 'muted'}>
                  {' '}
                  · {t(d.key)}: {f.date(new Date(d.at).toISOString())}
                  {d.missed && <> ({t('timeline.missed')})</>}
                </span>
              ))}
            </figcaption>
            <ResponsiveContainer width="100%" height={60 + 28 * types.length}>
              <ScatterChart margin={{ top: 16, right: 24, left: 8, bottom: 8 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis type="number" dataKey="x" domain={[Math.min(...xs), Math.max(...xs)]} tickFormatter={(v: number) => f.date(new Date(v).toISOString())} />
                <YAxis type="number" dataKey="y" ticks={types} interval={0} domain={[Math.min(...types) - 0.5, Math.max(...types) + 0.5]} width={170} tickFormatter={(v: number) => t(EVENT_TYPE_KEYS[EVENT_TYPES[v] ?? 'detected'])} />
                <Tooltip formatter={(_, name, item) => (name === 'x' ? f.dateTime(new Date(Number((item.payload as { x: number }).x)).toISOString()) : (item.payload as { label: string }).label)} />
                <Scatter data={points} fill="#2c3e50" isAnimationActive={false} />
                {deadlines.map((d) => (
                  <ReferenceLine key={d.key} x={d.at} stroke={d.missed ? '#c0392b' : '#e67e22'} strokeWidth={d.missed ? 2 : 1} strokeDasharray="6 3" label={{ value: t(d.key), position: 'top', fill: d.missed ? '#c0392b' : '#e67e22' }} />
                ))}
              </ScatterChart>
            </ResponsiveContainer>
          </figure>
        );
      }}
    </DataState>
  );
}
