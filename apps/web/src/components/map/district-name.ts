import type { DistrictNames, Locale } from '@qadaga/contracts/api';

/** A district's name in the reader's language, then in any language the boundaries give, then its key. */
export function districtName(names: DistrictNames | null, key: string | null, locale: string, fallback: string): string {
  if (names !== null) {
    const own = names[locale as Locale];
    if (own !== null && own !== undefined) return own;
    const any = names.en ?? names.ru ?? names.kk;
    if (any !== null) return any;
  }
  return key ?? fallback;
}
