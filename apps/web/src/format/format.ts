import { useTranslation } from 'react-i18next';
import type { Locale } from '@qadaga/contracts/api';
import { INTL_LOCALE, NUMBER_LOCALE } from '../i18n/i18n.js';

/**
 * Kazakhstan keeps one zone (UTC+5) since March 2024; "night" and "weekend" are judged in it,
 * so every instant is shown in it too, whatever the browser's own zone is.
 */
export const TIME_ZONE = 'Asia/Almaty';

export interface Formatters {
  locale: Locale;
  dateTime(iso: string | null | undefined): string;
  date(iso: string | null | undefined): string;
  number(value: number, digits?: number): string;
  percent(value: number): string;
  bytes(value: number): string;
}

/**
 * Kazakh month names as CLDR abbreviates them. Chromium's ICU data carries no Kazakh
 * patterns (a date came out "2026 M12 7 16:02"), so Kazakh text is composed here from
 * numeric parts, in CLDR's Kazakh order, rather than trusting the browser to know it.
 */
const KK_MONTHS = ['қаң.', 'ақп.', 'нау.', 'сәу.', 'мам.', 'мау.', 'шіл.', 'там.', 'қыр.', 'қаз.', 'қар.', 'жел.'] as const;


function kazakhDates(): { dateTime(d: Date): string; date(d: Date): string } {
  const parts = new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: 'numeric', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: TIME_ZONE });
  const pick = (d: Date) => Object.fromEntries(parts.formatToParts(d).map((p) => [p.type, p.value])) as Record<'year' | 'month' | 'day' | 'hour' | 'minute', string>;
  const date = (d: Date) => {
    const p = pick(d);
    return `${p.year} ж. ${p.day} ${KK_MONTHS[Number(p.month) - 1] ?? p.month}`;
  };
  return { date, dateTime: (d) => `${date(d)}, ${pick(d).hour}:${pick(d).minute}` };
}

export function formatters(locale: Locale): Formatters {
  const tag = INTL_LOCALE[locale];
  const numbers = NUMBER_LOCALE[locale];
  const kk = locale === 'kk' ? kazakhDates() : null;
  const dateTime = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short', timeZone: TIME_ZONE });
  const date = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeZone: TIME_ZONE });
  const pct = new Intl.NumberFormat(numbers, { style: 'percent', maximumFractionDigits: 1 });
  const valid = (iso: string | null | undefined) => (iso === null || iso === undefined || Number.isNaN(Date.parse(iso)) ? null : new Date(iso));
  return {
    locale,
    dateTime: (iso) => {
      const d = valid(iso);
      return d === null ? '—' : kk !== null ? kk.dateTime(d) : dateTime.format(d);
    },
    date: (iso) => {
      const d = valid(iso);
      return d === null ? '—' : kk !== null ? kk.date(d) : date.format(d);
    },
    number: (value, digits) =>
      new Intl.NumberFormat(numbers, digits === undefined ? { maximumSignificantDigits: Math.abs(value) < 1 ? 3 : 6 } : { maximumFractionDigits: digits }).format(value),
    percent: (value) => (locale === 'kk' ? pct.format(value).replace(/\s%$/u, '%') : pct.format(value)),
    bytes: (value) => {
      // A small attachment (a note, a log excerpt) is counted in bytes, not shown as "0 kB".
      const [unit, divisor] = value >= 1_048_576 ? (['megabyte', 1_048_576] as const) : value >= 1024 ? (['kilobyte', 1024] as const) : (['byte', 1] as const);
      return new Intl.NumberFormat(tag === 'kk-KZ' ? numbers : tag, { style: 'unit', unit, maximumFractionDigits: 1 }).format(value / divisor);
    },
  };
}

export function useFormat(): Formatters {
  const { i18n } = useTranslation();
  const lng = i18n.language;
  return formatters(lng === 'kk' || lng === 'en' ? lng : 'ru');
}

/** A calendar date typed in a form (YYYY-MM-DD) as the instant that day starts in Almaty. */
export function startOfLocalDay(date: string): string {
  return `${date}T00:00:00+05:00`;
}
