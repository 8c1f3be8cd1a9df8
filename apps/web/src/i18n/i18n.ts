import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Locale } from '@qadaga/contracts/api';
import en from './locales/en.json';
import kk from './locales/kk.json';
import ru from './locales/ru.json';

export const resources = { ru: { translation: ru }, kk: { translation: kk }, en: { translation: en } } as const;

/** Russian first: most users read it, and reports to a court are in Russian or Kazakh. */
export const DEFAULT_LOCALE: Locale = 'ru';

/** BCP 47 tags for Intl: numbers and dates follow the language the user chose. */
export const INTL_LOCALE: Record<Locale, string> = { ru: 'ru-RU', kk: 'kk-KZ', en: 'en-GB' };

/**
 * The locale numbers are written in. Chromium's ICU data carries no Kazakh number patterns
 * (decimals came out with a dot), and Kazakh writes numbers as Russian does: a space
 * between thousands and a decimal comma.
 */
export const NUMBER_LOCALE: Record<Locale, string> = { ru: 'ru-RU', kk: 'ru-RU', en: 'en-GB' };

void i18next.use(initReactI18next).init({
  resources,
  lng: DEFAULT_LOCALE,
  // No fallback: a missing text is a bug the locale test catches, not something to paper over.
  fallbackLng: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});

// {{n, number}} in a translation is written as the rest of the page writes numbers.
i18next.services.formatter?.add('number', (value: unknown, lng: string | undefined, options: Intl.NumberFormatOptions) =>
  new Intl.NumberFormat(NUMBER_LOCALE[lng === 'kk' || lng === 'en' ? lng : 'ru'], options).format(Number(value)),
);

export function changeLanguage(locale: Locale): Promise<unknown> {
  document.documentElement.lang = locale;
  return i18next.changeLanguage(locale);
}

export function currentLocale(): Locale {
  const lng = i18next.language;
  return lng === 'kk' || lng === 'en' ? lng : 'ru';
}

export { i18next };
