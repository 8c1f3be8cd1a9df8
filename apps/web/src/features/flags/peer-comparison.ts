/**
 * Reads a flag's facts and baseline into what the peer chart draws: the subject's value
 * against its peers' median (and the pooled or city rate), with the robust-z limit the
 * rule used, or a histogram when the baseline carries each peer's value.
 *
 * Baseline facts are named <group><Measure><Statistic> (peerAdverseMedian, cityAdverseRate,
 * dailyCancellationMedian, unitExpiredShare); the subject's own value is the fact of the
 * same measure (adverseShare, peakDayCancellations).
 */

export type BaselineGroup = 'peer' | 'city' | 'daily' | 'unit';
export type BaselineStatistic = 'Median' | 'Rate' | 'Share';

export interface Reference {
  group: BaselineGroup;
  statistic: BaselineStatistic;
  value: number;
}

export interface PeerComparison {
  measure: string;
  /** The fact the subject's value came from. */
  subjectFact: string;
  subject: number;
  references: Reference[];
  mad: number | null;
  /** The value above which the robust z passes the rule's threshold. */
  limit: number | null;
  /** A share (0..1) or a count: decides percent or plain numbers. */
  isShare: boolean;
  histogram: { from: number; to: number; count: number }[] | null;
}

const BASELINE_KEY = /^(peer|city|daily|unit)([A-Z][A-Za-z]*?)(Median|Mad|Rate|Share)$/u;
const ROBUST_Z_CONSTANT = 0.6745;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const lower = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

function subjectValue(facts: Record<string, unknown>, measure: string): { fact: string; value: number } | null {
  const stem = lower(measure);
  for (const candidate of [`${stem}Share`, stem, `${stem}Rate`]) {
    const v = num(facts[candidate]);
    if (v !== null) return { fact: candidate, value: v };
  }
  // A count measure: the subject's value is the fact naming the measure (peakDayCancellations).
  for (const [key, value] of Object.entries(facts)) {
    const v = num(value);
    if (v !== null && !BASELINE_KEY.test(key) && !key.endsWith('RobustZ') && key.toLowerCase().includes(stem.toLowerCase())) return { fact: key, value: v };
  }
  return null;
}

function histogramOf(values: number[], bins = 10): PeerComparison['histogram'] {
  const min = Math.min(...values);
  const max = Math.max(...values);
  const width = max > min ? (max - min) / bins : 1;
  const out = Array.from({ length: max > min ? bins : 1 }, (_, i) => ({ from: min + i * width, to: min + (i + 1) * width, count: 0 }));
  for (const v of values) {
    const i = Math.min(out.length - 1, Math.floor((v - min) / width));
    const bin = out[i];
    if (bin !== undefined) bin.count += 1;
  }
  return out;
}

export function peerComparison(facts: Record<string, unknown>, baseline: Record<string, unknown>): PeerComparison | null {
  const measures = new Map<string, { references: Reference[]; mad: number | null }>();
  for (const [key, raw] of Object.entries(baseline)) {
    const match = BASELINE_KEY.exec(key);
    const value = num(raw);
    if (match === null || value === null) continue;
    const [, group, measure = '', statistic] = match;
    const entry = measures.get(measure) ?? { references: [], mad: null };
    if (statistic === 'Mad') entry.mad = value;
    else entry.references.push({ group: group as BaselineGroup, statistic: statistic as BaselineStatistic, value });
    measures.set(measure, entry);
  }
  // The measure on which the subject stands out most (largest robust z) is what the flag is about;
  // measures without a z come after, in the order the baseline lists them.
  const zOf = (measure: string) => num(facts[`${lower(measure)}RobustZ`]) ?? Number.NEGATIVE_INFINITY;
  const ordered = [...measures.keys()].sort((a, b) => zOf(b) - zOf(a));
  const parameters = (typeof facts['parameters'] === 'object' && facts['parameters'] !== null ? facts['parameters'] : {}) as Record<string, unknown>;
  const threshold = num(parameters['minRobustZ']);
  const perPeer = Object.values(baseline).find((v): v is number[] => Array.isArray(v) && v.length >= 3 && v.every((x) => typeof x === 'number'));

  for (const measure of ordered) {
    const entry = measures.get(measure);
    const subject = subjectValue(facts, measure);
    if (entry === undefined || subject === null || entry.references.length === 0) continue;
    const median = entry.references.find((r) => r.statistic === 'Median')?.value ?? null;
    const isShare = subject.fact.endsWith('Share') || subject.fact.endsWith('Rate');
    // The facts floor the MAD (a percentage point for shares, one for counts) before computing z.
    const spread = entry.mad === null ? null : Math.max(entry.mad, isShare ? 0.01 : 1);
    return {
      measure: lower(measure),
      subjectFact: subject.fact,
      subject: subject.value,
      references: entry.references,
      mad: entry.mad,
      limit: median !== null && spread !== null && threshold !== null ? median + (threshold * spread) / ROBUST_Z_CONSTANT : null,
      isShare,
      histogram: perPeer === undefined ? null : histogramOf(perPeer),
    };
  }
  return null;
}
