import { stringify } from 'csv-stringify/sync';
import type { Flag, Locale } from '@qadaga/contracts/api';

/** The columns of the queue's CSV, in order; codes rather than words so a spreadsheet's formulas survive a change of language. */
export const FLAG_CSV_COLUMNS = [
  'id',
  'severity',
  'score',
  'q_value',
  'status',
  'status_reason',
  'rule',
  'rule_version',
  'scheme',
  'subject_kind',
  'subject',
  'unit',
  'district',
  'first_raised_at',
  'last_raised_at',
  'window_from',
  'window_to',
  'explanation',
] as const;

/** A byte order mark: Excel reads the file as UTF-8 (Cyrillic) only when it starts with one. */
export const UTF8_BOM = '\uFEFF';

/**
 * A text cell a spreadsheet would run as a formula (= + - @, or a tab or carriage return
 * that some programs strip before them) gets a leading apostrophe, as OWASP advises for
 * CSV injection: the reader sees the text, the spreadsheet runs nothing.
 */
export function guardFormula(cell: string): string {
  return /^[=+\-@\t\r]/u.test(cell) ? `'${cell}` : cell;
}

/** The explanation in the reader's language, else Russian, else any the flag has. */
export function explanationIn(flag: Pick<Flag, 'explanation'>, locale: Locale): string {
  return flag.explanation[locale] ?? flag.explanation['ru'] ?? Object.values(flag.explanation)[0] ?? '';
}

const text = (value: string | null) => (value === null ? '' : guardFormula(value));

function cells(flag: Flag, locale: Locale): (string | number)[] {
  return [
    flag.id,
    flag.severity,
    flag.score,
    flag.qValue ?? '',
    flag.status,
    text(flag.statusReason),
    text(flag.ruleId),
    flag.ruleVersion,
    flag.scheme,
    flag.subjectKind,
    text(flag.subjectId),
    text(flag.unit),
    text(flag.district),
    flag.firstRaisedAt,
    flag.lastRaisedAt,
    flag.windowFrom,
    flag.windowTo,
    text(explanationIn(flag, locale)),
  ];
}

/** RFC 4180: fields quoted when they hold a comma, quote or line break, quotes doubled, records ended by CRLF. */
const OPTIONS = { record_delimiter: 'windows', quoted_match: /^\s|\s$/u } as const;

export function csvHeader(): string {
  return stringify([[...FLAG_CSV_COLUMNS]], OPTIONS);
}

export function csvRows(flags: readonly Flag[], locale: Locale): string {
  return flags.length === 0 ? '' : stringify(flags.map((f) => cells(f, locale)), OPTIONS);
}

/** The last line of a cut export, in the first column where a reader of the file will see it. */
export function csvTruncationNote(max: number): string {
  return stringify([[`# cut at ${max} rows: more flags match; narrow the filters to export the rest`]], OPTIONS);
}

/**
 * The whole CSV of the flags `readPage` gives, page after page, up to `max` rows: one
 * more than the bound is looked for, so a cut is known and said, never guessed.
 */
export async function flagCsv(
  readPage: (offset: number, limit: number) => Promise<readonly Flag[]>,
  options: { locale: Locale; max: number; pageSize: number },
): Promise<{ csv: string; rows: number; truncated: boolean }> {
  const parts: string[] = [UTF8_BOM, csvHeader()];
  let rows = 0;
  let truncated = false;
  for (let offset = 0; ; offset += options.pageSize) {
    const page = await readPage(offset, options.pageSize);
    const room = options.max - rows;
    if (page.length > room) truncated = true;
    const kept = page.slice(0, room);
    parts.push(csvRows(kept, options.locale));
    rows += kept.length;
    if (truncated || page.length < options.pageSize) break;
  }
  if (truncated) parts.push(csvTruncationNote(options.max));
  return { csv: parts.join(''), rows, truncated };
}
