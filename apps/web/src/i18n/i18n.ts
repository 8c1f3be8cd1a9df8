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

void i18next.use(initReactI18next).init({
  resources,
  lng: DEFAULT_LOCALE,
  // No fallback: a missing text is a bug the locale test catches, not something to paper over.
  fallbackLng: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});

export function changeLanguage(locale: Locale): Promise<unknown> {
  document.documentElement.lang = locale;
  return i18next.changeLanguage(locale);
}

export function currentLocale(): Locale {
  const lng = i18next.language;
  return lng === 'kk' || lng === 'en' ? lng : 'ru';
}

export { i18next };
