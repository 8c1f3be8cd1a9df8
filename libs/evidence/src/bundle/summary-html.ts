import type { BundleCheckpoint, BundleInput, SummaryLocale } from './bundle-input.js';
import type { EventStats } from './event-stats.js';
import type { ManifestFile } from './manifest.js';
import { baselineComparisons, comparisonBars, escapeHtml as h, formatNumber, weeklyStackedBars } from './svg-charts.js';

const LABELS = {
  en: {
    title: 'Evidence bundle',
    case: 'Case',
    generated: 'Generated',
    by: 'by',
    reason: 'Reason',
    product: 'Product version',
    overview: 'Overview',
    events: 'Ledger events',
    violations: 'Violations',
    chains: 'Hash chains',
    period: 'Period',
    flags: 'Flags',
    eventsPerWeek: 'Events per week by type (weeks from Monday, UTC)',
    rule: 'Rule',
    subject: 'Subject',
    severity: 'Severity',
    score: 'Score',
    evidence: 'Events cited',
    explanation: 'Explanation',
    againstPeers: 'Subject against the peer baseline',
    subjectValue: 'subject',
    rules: 'Rule versions',
    definitionHash: 'SHA-256 of the canonical definition',
    notes: 'Notes',
    timeline: 'Timeline',
    integrity: 'Integrity',
    files: 'Files of this bundle and their SHA-256',
    checkpoints: 'Signed checkpoints the chain proofs lead to',
    adHoc: 'signed for this bundle',
    howToVerify:
      'To verify offline: npx qadaga verify-bundle FILE. It recomputes every file hash, the manifest signature, every event hash and every chain link up to the signed checkpoints. Compare the key ids with the keys the office publishes.',
    remarks: 'Remarks',
    status: 'Status',
  },
  ru: {
    title: 'Пакет доказательств',
    case: 'Дело',
    generated: 'Сформирован',
    by: 'пользователем',
    reason: 'Основание',
    product: 'Версия продукта',
    overview: 'Обзор',
    events: 'События реестра',
    violations: 'Нарушения',
    chains: 'Хеш-цепочки',
    period: 'Период',
    flags: 'Сигналы',
    eventsPerWeek: 'События по неделям и типам (недели с понедельника, UTC)',
    rule: 'Правило',
    subject: 'Объект',
    severity: 'Важность',
    score: 'Оценка',
    evidence: 'Событий в основании',
    explanation: 'Пояснение',
    againstPeers: 'Объект в сравнении с коллегами',
    subjectValue: 'объект',
    rules: 'Версии правил',
    definitionHash: 'SHA-256 канонического определения',
    notes: 'Заметки',
    timeline: 'Ход дела',
    integrity: 'Целостность',
    files: 'Файлы пакета и их SHA-256',
    checkpoints: 'Подписанные контрольные точки, к которым ведут доказательства цепочек',
    adHoc: 'подписана для этого пакета',
    howToVerify:
      'Проверка без сервера: npx qadaga verify-bundle ФАЙЛ. Пересчитываются хеши всех файлов, подпись манифеста, хеш каждого события и каждое звено цепочки до подписанных контрольных точек. Сверьте идентификаторы ключей с ключами, опубликованными ведомством.',
    remarks: 'Замечания',
    status: 'Статус',
  },
  kk: {
    title: 'Дәлелдер пакеті',
    case: 'Іс',
    generated: 'Жасалған',
    by: 'пайдаланушы',
    reason: 'Негіздеме',
    product: 'Өнім нұсқасы',
    overview: 'Шолу',
    events: 'Тізілім оқиғалары',
    violations: 'Құқық бұзушылықтар',
    chains: 'Хеш-тізбектер',
    period: 'Кезең',
    flags: 'Белгілер',
    eventsPerWeek: 'Апта және түр бойынша оқиғалар (апта дүйсенбіден, UTC)',
    rule: 'Ереже',
    subject: 'Нысан',
    severity: 'Маңыздылығы',
    score: 'Баға',
    evidence: 'Негіз болған оқиғалар',
    explanation: 'Түсіндірме',
    againstPeers: 'Нысан әріптестермен салыстырғанда',
    subjectValue: 'нысан',
    rules: 'Ереже нұсқалары',
    definitionHash: 'Канондық анықтаманың SHA-256',
    notes: 'Жазбалар',
    timeline: 'Іс барысы',
    integrity: 'Тұтастық',
    files: 'Пакет файлдары және олардың SHA-256',
    checkpoints: 'Тізбек дәлелдері апаратын қол қойылған бақылау нүктелері',
    adHoc: 'осы пакет үшін қол қойылған',
    howToVerify:
      'Серверсіз тексеру: npx qadaga verify-bundle ФАЙЛ. Барлық файлдың хеші, манифест қолтаңбасы, әр оқиғаның хеші және қол қойылған бақылау нүктелеріне дейінгі тізбектің әр буыны қайта есептеледі. Кілт идентификаторларын ведомство жариялаған кілттермен салыстырыңыз.',
    remarks: 'Ескертпелер',
    status: 'Күйі',
  },
} satisfies Record<SummaryLocale, Record<string, string>>;

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:24px;color:#111;line-height:1.4}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 8px;border-bottom:1px solid #ccc;page-break-after:avoid}h3{font-size:14px;margin:14px 0 4px}
table{border-collapse:collapse;width:100%;font-size:12px;margin:6px 0}th,td{border:1px solid #bbb;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f0f0f0}.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:11px;word-break:break-all}.muted{color:#555}
.chart{width:100%;max-width:760px;height:auto;page-break-inside:avoid}.flag{page-break-inside:avoid}
@media print{body{margin:10mm}a{color:#111}}`;

export interface SummaryContext {
  input: BundleInput;
  stats: EventStats;
  files: ManifestFile[];
  accessLogRows: number;
}

/** The printable, self-contained summary: one HTML file with inline styles and SVG. */
export function renderSummary({ input, stats, files, accessLogRows }: SummaryContext): string {
  const locale: SummaryLocale = input.locale ?? 'en';
  const t = LABELS[locale];
  const parts: string[] = [];
  const c = input.case?.case;
  const heading = c === undefined ? t.title : `${t.title}: ${t.case} ${String(c.number ?? c.id)}${typeof c.title === 'string' ? `, ${c.title}` : ''}`;
  parts.push(`<!DOCTYPE html><html lang="${locale}"><head><meta charset="utf-8"><title>${h(heading)}</title><style>${STYLE}</style></head><body>`);
  parts.push(`<h1>${h(heading)}</h1>`);
  parts.push(
    `<p class="muted">${h(t.generated)} ${h(input.generatedAt)} ${h(t.by)} ${h(input.generatedBy.name ?? input.generatedBy.id)} (${h(input.generatedBy.id)}). ${h(t.reason)}: ${h(input.reason)}. ${h(t.product)}: ${h(input.productVersion)}.</p>`,
  );

  parts.push(`<h2>${h(t.overview)}</h2><table><tbody>`);
  parts.push(`<tr><th>${h(t.events)}</th><td>${formatNumber(stats.total)}</td></tr>`);
  parts.push(`<tr><th>${h(t.violations)}</th><td>${formatNumber(stats.violations.size)}</td></tr>`);
  parts.push(`<tr><th>${h(t.chains)}</th><td>${formatNumber(stats.chains.size)}</td></tr>`);
  parts.push(`<tr><th>${h(t.flags)}</th><td>${formatNumber(input.flags.length)}</td></tr>`);
  if (stats.first !== null && stats.last !== null) parts.push(`<tr><th>${h(t.period)}</th><td>${h(stats.first)} … ${h(stats.last)}</td></tr>`);
  parts.push('</tbody></table>');
  if (input.remarks !== undefined && input.remarks.length > 0) {
    parts.push(`<h3>${h(t.remarks)}</h3><ul>${input.remarks.map((r) => `<li>${h(r)}</li>`).join('')}</ul>`);
  }

  const types = [...stats.types.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([type]) => type);
  const weeks = [...stats.weeks.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  if (weeks.length > 0) parts.push(`<h2>${h(t.eventsPerWeek)}</h2>${weeklyStackedBars(fillWeeks(weeks), types, t.eventsPerWeek)}`);

  parts.push(`<h2>${h(t.flags)}</h2>`);
  for (const flag of input.flags) {
    parts.push('<div class="flag">');
    parts.push(`<h3>${h(flag.ruleId)} v${flag.ruleVersion}: ${h(flag.subjectKind)} ${h(flag.subjectId)}</h3>`);
    parts.push('<table><tbody>');
    parts.push(`<tr><th>${h(t.severity)}</th><td>${h(flag.severity)}</td><th>${h(t.score)}</th><td>${h(formatNumber(flag.score))}${flag.qValue === null ? '' : ` (q = ${h(formatNumber(flag.qValue))})`}</td></tr>`);
    parts.push(`<tr><th>${h(t.status)}</th><td>${h(flag.status)}</td><th>${h(t.evidence)}</th><td>${flag.evidence.length}</td></tr>`);
    parts.push(`<tr><th>${h(t.period)}</th><td colspan="3">${h(flag.windowFrom)} … ${h(flag.windowTo)}</td></tr>`);
    const text = flag.explanation[locale] ?? flag.explanation['en'] ?? Object.values(flag.explanation)[0];
    if (text !== undefined) parts.push(`<tr><th>${h(t.explanation)}</th><td colspan="3">${h(text)}</td></tr>`);
    parts.push('</tbody></table>');
    const pairs = baselineComparisons(flag.facts, flag.baseline);
    if (pairs.length > 0) parts.push(`<p class="muted">${h(t.againstPeers)}</p>${comparisonBars(pairs, { subject: t.subjectValue, title: t.againstPeers })}`);
    parts.push('</div>');
  }

  parts.push(`<h2>${h(t.rules)}</h2><table><thead><tr><th>${h(t.rule)}</th><th>v</th><th>${h(t.status)}</th><th>${h(t.definitionHash)}</th></tr></thead><tbody>`);
  for (const r of input.rules) parts.push(`<tr><td>${h(r.ruleId)}</td><td>${r.version}</td><td>${h(r.status)}</td><td class="mono">${h(r.definitionHash)}</td></tr>`);
  parts.push('</tbody></table>');

  if (input.case !== null) {
    parts.push(`<h2>${h(t.notes)}</h2><table><tbody>`);
    for (const n of input.case.notes) parts.push(`<tr><td>${h(String(n['at'] ?? ''))}</td><td>${h(String(n['authorName'] ?? n['authorId'] ?? ''))}</td><td>${h(String(n['text'] ?? ''))}</td></tr>`);
    parts.push(`</tbody></table><h2>${h(t.timeline)}</h2><table><tbody>`);
    for (const e of input.case.timeline) {
      parts.push(`<tr><td>${h(String(e['at'] ?? ''))}</td><td>${h(String(e['actorName'] ?? e['actor'] ?? ''))}</td><td>${h(String(e['action'] ?? ''))}</td><td>${h(e['details'] === undefined ? '' : JSON.stringify(e['details']))}</td></tr>`);
    }
    parts.push('</tbody></table>');
  }

  parts.push(`<h2>${h(t.integrity)}</h2><p>${h(t.howToVerify)}</p>`);
  parts.push(`<h3>${h(t.files)}</h3><table><tbody>`);
  for (const f of files) parts.push(`<tr><td>${h(f.name)}</td><td>${formatNumber(f.size)} B</td><td class="mono">${h(f.sha256)}</td></tr>`);
  parts.push(`<tr><td>access-log rows</td><td colspan="2">${formatNumber(accessLogRows)}</td></tr>`);
  parts.push(`</tbody></table><h3>${h(t.checkpoints)}</h3><table><tbody>`);
  for (const cp of input.checkpoints) parts.push(checkpointRow(cp, t.adHoc));
  parts.push('</tbody></table></body></html>\n');
  return parts.join('\n');
}

function checkpointRow(cp: BundleCheckpoint, adHocLabel: string): string {
  const heads = cp.ledgerHeads.map((x) => `${x.chainId}#${x.seq}`).join(', ');
  return `<tr><td>${h(cp.id)}${cp.adHoc ? ` (${h(adHocLabel)})` : ''}</td><td>${h(cp.at)}</td><td class="mono">key ${h(cp.keyId)}</td><td>${h(heads)}</td></tr>`;
}

/** Weeks without events still get their (empty) place on the axis. */
function fillWeeks(weeks: [string, Map<string, number>][]): [string, Map<string, number>][] {
  const first = weeks[0];
  const last = weeks.at(-1);
  if (first === undefined || last === undefined) return weeks;
  const byWeek = new Map(weeks);
  const out: [string, Map<string, number>][] = [];
  const end = Date.parse(`${last[0]}T00:00:00Z`);
  // Very long spans keep the populated weeks only, so the chart stays readable.
  if ((end - Date.parse(`${first[0]}T00:00:00Z`)) / (7 * 86_400_000) > 260) return weeks;
  for (let t = Date.parse(`${first[0]}T00:00:00Z`); t <= end; t += 7 * 86_400_000) {
    const key = new Date(t).toISOString().slice(0, 10);
    out.push([key, byWeek.get(key) ?? new Map()]);
  }
  return out;
}
