import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '@qadaga/contracts/api';

/** How each language writes a day; the browser's own date picker follows the browser's language instead. */
const PATTERN: Record<Locale, { separator: string; placeholder: string }> = {
  ru: { separator: '.', placeholder: 'дд.мм.гггг' },
  kk: { separator: '.', placeholder: 'кк.аа.жжжж' },
  en: { separator: '/', placeholder: 'dd/mm/yyyy' },
};

function localeOf(language: string): Locale {
  return language === 'kk' || language === 'en' ? language : 'ru';
}

/** A calendar day (yyyy-mm-dd) as the reader's language writes it. */
export function writeDay(iso: string, locale: Locale): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/u.exec(iso);
  if (m === null) return '';
  const sep = PATTERN[locale].separator;
  return `${m[3]}${sep}${m[2]}${sep}${m[1]}`;
}

/** A day typed as dd.mm.yyyy, dd/mm/yyyy or yyyy-mm-dd, as yyyy-mm-dd; null when it is no real day. */
export function readDay(text: string): string | null {
  const trimmed = text.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/u.exec(trimmed);
  const local = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/u.exec(trimmed);
  const [y, mo, d] = iso !== null ? [iso[1], iso[2], iso[3]] : local !== null ? [local[3], local[2], local[1]] : [];
  if (y === undefined || mo === undefined || d === undefined) return null;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d)) return null;
  return date.toISOString().slice(0, 10);
}

/**
 * A day field written in the app's language, not the browser's: a prosecutor who reads
 * the workbench in Kazakh types 07.12.2026 whatever language the browser was installed in.
 * The value in and out is yyyy-mm-dd ('' for none); a text that is no day is marked and
 * not passed on.
 */
export function DateField({ value, onChange, label }: { value: string; onChange: (iso: string) => void; label: string }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  const [text, setText] = useState(() => writeDay(value, locale));
  useEffect(() => setText(writeDay(value, locale)), [value, locale]);
  const invalid = text.trim() !== '' && readDay(text) === null;
  return (
    <label>
      {label}
      <input
        type="text"
        inputMode="numeric"
        value={text}
        placeholder={PATTERN[locale].placeholder}
        aria-invalid={invalid}
        title={invalid ? t('errors.notDay') : undefined}
        onChange={(e) => {
          setText(e.target.value);
          const day = readDay(e.target.value);
          if (day !== null) onChange(day);
          else if (e.target.value.trim() === '') onChange('');
        }}
      />
      {invalid && <span className="field-error">{t('errors.notDay')}</span>}
    </label>
  );
}
