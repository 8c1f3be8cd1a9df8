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

/** Letters and digits that recognition and typing swap, each with its twin. */
const LOOK_ALIKE_TWINS: Readonly<Record<string, string>> = { O: '0', '0': 'O', I: '1', '1': 'I' };
/** Where the civil format expects a digit (true) or a letter (false). */
const KZ_CIVIL_SHAPE = [true, true, true, false, false, false, true, true];

/**
 * The keys a typed plate (or the start of one) may stand for when O/0 and I/1 are
 * confused, which plateKey does not fold (a stored key keeps what was read). First the
 * key as typed, then the key read against the civil format's shape, then every other
 * swap of the first `maxSwaps` ambiguous characters; no key twice.
 */
export function plateKeyVariants(received: string, maxSwaps = 6): string[] {
  const key = plateKey(received);
  const chars = [...key];
  const shaped = chars.map((ch, i) => {
    const twin = LOOK_ALIKE_TWINS[ch];
    const wantsDigit = KZ_CIVIL_SHAPE[i];
    if (twin === undefined || wantsDigit === undefined) return ch;
    return /\d/u.test(ch) === wantsDigit ? ch : twin;
  });
  const variants = new Set([key, shaped.join('')]);
  const ambiguous = chars.flatMap((ch, i) => (LOOK_ALIKE_TWINS[ch] === undefined ? [] : [i])).slice(0, Math.max(0, maxSwaps));
  for (let mask = 1; mask < 2 ** ambiguous.length; mask += 1) {
    const next = [...chars];
    ambiguous.forEach((at, bit) => {
      if ((mask & (1 << bit)) !== 0) next[at] = LOOK_ALIKE_TWINS[next[at] as string] ?? (next[at] as string);
    });
    variants.add(next.join(''));
  }
  return [...variants];
}
