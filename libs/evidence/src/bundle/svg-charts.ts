/**
 * Small inline SVG charts for the printable summary: no script, no external assets, so
 * the page prints and archives as it is.
 */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/gu, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

// Distinguishable in print and for the common colour-vision deficiencies.
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#393b79', '#637939', '#8c6d31', '#843c39'];

export function colourOf(index: number): string {
  return PALETTE[index % PALETTE.length] ?? '#000';
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US').replace(/,/gu, '\u202f');
  const abs = Math.abs(value);
  return abs >= 100 ? value.toFixed(0) : abs >= 1 ? value.toFixed(2) : value.toPrecision(3);
}

/** Stacked bars: one per week, one colour per event type, with a legend. */
export function weeklyStackedBars(weeks: [string, Map<string, number>][], types: string[], title: string): string {
  if (weeks.length === 0) return '';
  const width = 760;
  const height = 260;
  const left = 48;
  const bottom = 40;
  const top = 16;
  const plotW = width - left - 10;
  const plotH = height - top - bottom;
  const totals = weeks.map(([, m]) => [...m.values()].reduce((a, b) => a + b, 0));
  const max = Math.max(1, ...totals);
  const step = plotW / weeks.length;
  const barW = Math.max(1, step * 0.8);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height + 20 * Math.ceil(types.length / 4)}" role="img" aria-label="${escapeHtml(title)}" class="chart">`);
  parts.push(`<line x1="${left}" y1="${top + plotH}" x2="${width - 10}" y2="${top + plotH}" stroke="#333"/>`);
  for (const f of [0, 0.5, 1]) {
    const y = top + plotH - f * plotH;
    parts.push(`<text x="${left - 4}" y="${y.toFixed(1)}" font-size="10" text-anchor="end" dominant-baseline="middle">${formatNumber(Math.round(max * f))}</text>`);
  }
  const labelEvery = Math.max(1, Math.ceil(weeks.length / 12));
  weeks.forEach(([week, perType], i) => {
    const x = left + i * step + (step - barW) / 2;
    let y = top + plotH;
    types.forEach((type, ti) => {
      const n = perType.get(type) ?? 0;
      if (n === 0) return;
      const h = (n / max) * plotH;
      y -= h;
      parts.push(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="${colourOf(ti)}"><title>${escapeHtml(`${week} ${type}: ${n}`)}</title></rect>`);
    });
    if (i % labelEvery === 0) {
      parts.push(`<text x="${(x + barW / 2).toFixed(1)}" y="${top + plotH + 14}" font-size="9" text-anchor="middle">${escapeHtml(week.slice(2))}</text>`);
    }
  });
  types.forEach((type, ti) => {
    const lx = left + (ti % 4) * 180;
    const ly = height + 20 * Math.floor(ti / 4) - 8;
    parts.push(`<rect x="${lx}" y="${ly - 8}" width="10" height="10" fill="${colourOf(ti)}"/><text x="${lx + 14}" y="${ly}" font-size="11">${escapeHtml(type)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

export interface Comparison {
  label: string;
  subject: number;
  peer: number;
  peerLabel: string;
}

/** Paired horizontal bars: the subject's value against its peers' baseline. */
export function comparisonBars(rows: Comparison[], labels: { subject: string; title: string }): string {
  if (rows.length === 0) return '';
  const width = 760;
  const rowH = 44;
  const left = 220;
  const plotW = width - left - 90;
  const height = rows.length * rowH + 26;
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(labels.title)}" class="chart">`];
  rows.forEach((r, i) => {
    const max = Math.max(Math.abs(r.subject), Math.abs(r.peer), Number.MIN_VALUE);
    const y = 8 + i * rowH;
    const w1 = (Math.abs(r.subject) / max) * plotW;
    const w2 = (Math.abs(r.peer) / max) * plotW;
    parts.push(`<text x="${left - 6}" y="${y + 10}" font-size="11" text-anchor="end">${escapeHtml(r.label)}</text>`);
    parts.push(`<rect x="${left}" y="${y}" width="${w1.toFixed(1)}" height="14" fill="#d62728"/><text x="${(left + w1 + 4).toFixed(1)}" y="${y + 11}" font-size="11">${escapeHtml(`${formatNumber(r.subject)} ${labels.subject}`)}</text>`);
    parts.push(`<text x="${left - 6}" y="${y + 28}" font-size="10" text-anchor="end" fill="#555">${escapeHtml(r.peerLabel)}</text>`);
    parts.push(`<rect x="${left}" y="${y + 18}" width="${w2.toFixed(1)}" height="14" fill="#9e9e9e"/><text x="${(left + w2 + 4).toFixed(1)}" y="${y + 29}" font-size="11">${escapeHtml(formatNumber(r.peer))}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

const BASELINE_PREFIX = /^(peer|city|unit|daily|ewma)/u;
const BASELINE_SUFFIX = /(Median|Rate|Share|Mean)$/u;

/**
 * Pairs each baseline figure with the subject's own figure of the same measure
 * (peerDismissalMedian with dismissalShare, dailyCancellationMedian with
 * peakDayCancellations). Dispersions and counts are not plotted.
 */
export function baselineComparisons(facts: Record<string, unknown>, baseline: Record<string, unknown>): Comparison[] {
  const numericFacts = Object.entries(facts).filter(([k, v]) => typeof v === 'number' && Number.isFinite(v) && !(k in baseline)) as [string, number][];
  const out: Comparison[] = [];
  for (const [key, value] of Object.entries(baseline)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || /(Mad|Count|Limit)$/u.test(key)) continue;
    const bare = key.replace(BASELINE_PREFIX, '').replace(BASELINE_SUFFIX, '');
    if (bare === '') continue;
    const stem = bare.charAt(0).toLowerCase() + bare.slice(1);
    const exact = numericFacts.find(([k]) => k === `${stem}Share` || k === `${stem}Rate` || k === stem);
    const loose = exact ?? numericFacts.find(([k]) => k.toLowerCase().includes(stem.toLowerCase()));
    if (loose === undefined) continue;
    out.push({ label: loose[0], subject: loose[1], peer: value, peerLabel: key });
  }
  return out;
}
