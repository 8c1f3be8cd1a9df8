/**
 * The RFC 8785 form of a payload read straight from PostgreSQL's jsonb text output,
 * without building objects: parsing the payload and serialising it again with sorted
 * keys was the largest share of verification's CPU time.
 *
 * jsonb prints `{"key": value, ...}` and `[a, b]` with exactly one space after each ':'
 * and ',', keys ordered by byte length then bytes, and strings escaped as
 * JSON.stringify escapes them. So a string with no backslash in it is already in
 * canonical form, numbers only need the engine's formatting, and each object's keys
 * need re-sorting by UTF-16 code units. Anything else (an escape anywhere, an
 * unexpected character, a number the engine cannot represent) returns undefined, and
 * the caller takes the generic route through JSON.parse and the domain's canonical form.
 */
export function canonicalJsonbText(text: string, start: number, end: number): string | undefined {
  const backslash = text.indexOf('\\', start);
  if (backslash !== -1 && backslash < end) return undefined;
  src = text;
  at = start;
  try {
    const form = value();
    return at === end ? form : undefined;
  } catch (error) {
    if (error === OUTSIDE) return undefined;
    throw error;
  } finally {
    src = '';
  }
}

/** Thrown (never escapes) when the text is not in the form described above. */
const OUTSIDE = new Error('not plain jsonb output');

// The text being read and the position in it: module state keeps the recursion's calls small.
let src = '';
let at = 0;

const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const SPACE = 0x20;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function value(): string {
  switch (src.charCodeAt(at)) {
    case QUOTE:
      return string();
    case OPEN_BRACE:
      return object();
    case OPEN_BRACKET:
      return array();
    case 0x74: // t
      return word('true');
    case 0x66: // f
      return word('false');
    case 0x6e: // n
      return word('null');
    default:
      return number();
  }
}

/** With no backslash in the text, the next quote closes the string and its text is canonical. */
function string(): string {
  const close = src.indexOf('"', at + 1);
  if (close === -1) throw OUTSIDE;
  const form = src.slice(at, close + 1);
  at = close + 1;
  return form;
}

function word(w: string): string {
  if (!src.startsWith(w, at)) throw OUTSIDE;
  at += w.length;
  return w;
}

function isNumberChar(c: number): boolean {
  // 0-9 - + . e E
  return (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45;
}

/** Integers of up to 15 digits print the same in both; everything else goes through the engine, as JSON.parse then JSON.stringify would. */
function number(): string {
  const from = at;
  let plainInteger = true;
  let c = src.charCodeAt(at);
  while (isNumberChar(c)) {
    if (c < 0x30 && !(c === 0x2d && at === from)) plainInteger = false;
    if (c > 0x39) plainInteger = false;
    at += 1;
    c = src.charCodeAt(at);
  }
  const token = src.slice(from, at);
  const digits = token.charCodeAt(0) === 0x2d ? token.length - 1 : token.length;
  const leadingZero = token.charCodeAt(token.length - digits) === 0x30;
  if (plainInteger && digits > 0 && digits <= 15 && (!leadingZero || (digits === 1 && token.length === 1))) return token;
  if (token.length === 0) throw OUTSIDE;
  const n = Number(token);
  if (!Number.isFinite(n)) throw OUTSIDE;
  return String(n);
}

/** `, ` between members, or the closing character. */
function next(close: number): boolean {
  const c = src.charCodeAt(at);
  if (c === COMMA && src.charCodeAt(at + 1) === SPACE) {
    at += 2;
    return true;
  }
  if (c !== close) throw OUTSIDE;
  at += 1;
  return false;
}

function array(): string {
  at += 1;
  if (src.charCodeAt(at) === CLOSE_BRACKET) {
    at += 1;
    return '[]';
  }
  let form = `[${value()}`;
  while (next(CLOSE_BRACKET)) form += `,${value()}`;
  return `${form}]`;
}

function object(): string {
  at += 1;
  if (src.charCodeAt(at) === CLOSE_BRACE) {
    at += 1;
    return '{}';
  }
  const keys: string[] = [];
  const values: string[] = [];
  do {
    if (src.charCodeAt(at) !== QUOTE) throw OUTSIDE;
    const close = src.indexOf('"', at + 1);
    if (close === -1 || src.charCodeAt(close + 1) !== COLON || src.charCodeAt(close + 2) !== SPACE) throw OUTSIDE;
    keys.push(src.slice(at + 1, close));
    at = close + 3;
    values.push(value());
  } while (next(CLOSE_BRACE));
  return sortedMembers(keys, values);
}

/** Members in RFC 8785 order: keys compared by UTF-16 code units, as `<` on strings does (an insertion sort; objects are small). */
function sortedMembers(keys: string[], values: string[]): string {
  const n = keys.length;
  const order = new Array<number>(n);
  for (let i = 0; i < n; i += 1) {
    const key = keys[i] as string;
    let j = i;
    while (j > 0 && key < (keys[order[j - 1] as number] as string)) {
      order[j] = order[j - 1] as number;
      j -= 1;
    }
    order[j] = i;
  }
  let form = '{';
  for (let i = 0; i < n; i += 1) {
    const k = order[i] as number;
    form += `${i === 0 ? '' : ','}"${keys[k] as string}":${values[k] as string}`;
  }
  return `${form}}`;
}
