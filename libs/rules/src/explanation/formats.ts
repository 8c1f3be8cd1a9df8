import type { Language } from '../rule-definition.js';
import type { ValueFormat } from './template.js';

/**
 * Numbers, dates and yes/no in the reader's language: Russian and Kazakh readers expect
 * "1 234,5" and "4,2 %", English readers "1,234.5" and "4.2%". Intl does the locale work;
 * this module decides what each format means.
 */

export const LOCALES: Readonly<Record<Language, string>> = { en: 'en-GB', ru: 'ru-RU', kk: 'kk-KZ' };

const YES_NO: Readonly<Record<Language, readonly [string, string]>> = {
  en: ['yes', 'no'],
  ru: ['да', 'нет'],
  kk: ['иә', 'жоқ'],
};

/** Shown for a value that is missing or does not apply, rather than "undefined" or "NaN". */
export const MISSING_VALUE = '\u2014';

const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(language: Language, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${language}:${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat(LOCALES[language], options);
    numberFormats.set(key, format);
  }
  return format;
}

/**
 * A probability the way a reader can take it in: "p = 0,012" from 0.001 up, and below that
 * only its order of magnitude, "p < 1e-20": twenty digits of precision would suggest a
 * certainty the model behind the number does not have. The bound is the next power of
 * ten above the value, so the statement is always true; 0 (an underflow) reads as below
 * the smallest double.
 */
export function formatProbability(value: number, language: Language, symbol = 'p'): string {
  if (!Number.isFinite(value) || value < 0) return `${symbol} = ${MISSING_VALUE}`;
  if (value >= 0.001) {
    return `${symbol} = ${numberFormat(language, { maximumSignificantDigits: 2 }).format(value)}`;
  }
  const exponent = Math.floor(Math.log10(Math.max(value, Number.MIN_VALUE))) + 1;
  return `${symbol} < 1e${exponent}`;
}

// Built once per language: constructing an Intl format costs far more than using one, and a
// sweep renders a date in tens of thousands of explanations.
const dateFormats = new Map<Language, Intl.DateTimeFormat>();

function formatDate(value: string, language: Language): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match === null) return value;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  let format = dateFormats.get(language);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(LOCALES[language], { dateStyle: 'long', timeZone: 'UTC' });
    dateFormats.set(language, format);
  }
  return format.format(date);
}

function formatNumber(value: number, format: ValueFormat | undefined, language: Language): string {
  if (Number.isNaN(value)) return MISSING_VALUE;
  if (!Number.isFinite(value)) return value > 0 ? '\u221e' : '\u2212\u221e';
  switch (format) {
    case 'int':
      return numberFormat(language, { maximumFractionDigits: 0 }).format(value);
    case 'fixed1':
      return numberFormat(language, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
    case 'fixed2':
      return numberFormat(language, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
    case 'percent':
      return numberFormat(language, { style: 'percent', maximumFractionDigits: 1 }).format(value);
    case 'p':
      return formatProbability(value, language);
    default:
      return numberFormat(language, { maximumFractionDigits: 3 }).format(value);
  }
}

/** Renders one value; formats that do not fit the value's type fall back to the plain rendering. */
export function formatValue(value: unknown, format: ValueFormat | undefined, language: Language): string {
  if (value === null || value === undefined) return MISSING_VALUE;
  if (typeof value === 'number') return formatNumber(value, format, language);
  if (typeof value === 'boolean') return YES_NO[language][value ? 0 : 1];
  if (typeof value === 'string') return format === 'date' ? formatDate(value, language) : value;
  if (Array.isArray(value)) return value.map((item) => formatValue(item, undefined, language)).join(', ');
  return String(value);
}
