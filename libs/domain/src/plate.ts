/**
 * Plates typed by hand or read by a camera mix look-alike Cyrillic and Latin letters,
 * spaces and dashes. Rules that ask "is this the same vehicle" must compare one key,
 * while the plate as received is kept untouched as evidence.
 */
const CYRILLIC_TO_LATIN: Readonly<Record<string, string>> = {
  А: 'A', В: 'B', С: 'C', Е: 'E', Н: 'H', К: 'K', М: 'M', О: 'O', Р: 'P', Т: 'T', Х: 'X', У: 'Y',
  // Kazakh letters that cameras and clerks confuse with the same Latin shapes.
  Ү: 'Y', І: 'I',
};

const SEPARATORS = /[\s\-_.·]+/gu;

/** The comparison key of a plate: upper case, Latin look-alikes, no separators. */
export function plateKey(received: string): string {
  const upper = received.normalize('NFC').toUpperCase().replace(SEPARATORS, '');
  let key = '';
  for (const ch of upper) key += CYRILLIC_TO_LATIN[ch] ?? ch;
  return key;
}

/** Kazakhstan's current civil format: three digits, three Latin letters, two-digit region. */
const KZ_CIVIL_PLATE = /^\d{3}[A-Z]{3}\d{2}$/u;

export function isKazakhCivilPlate(key: string): boolean {
  return KZ_CIVIL_PLATE.test(key);
}
