import { isUtf8 } from 'node:buffer';

/**
 * Request text must be UTF-8 (RFC 8259 requires it of JSON). Decoding bytes that are not
 * replaces them with U+FFFD, so two different event ids (ending in 0xFF and in 0xFE) were
 * stored as one, and the second was answered as a harmless duplicate though it was never
 * kept. Bytes are therefore checked before they are decoded, and refused.
 *
 * Answers undefined for valid UTF-8 (a native SIMD scan, a few GB/s), or where and why not.
 */
export function utf8Problem(bytes: Uint8Array): string | undefined {
  if (isUtf8(bytes)) return undefined;
  const { lead, at } = firstInvalidUtf8(bytes);
  if (at >= bytes.length) return `is not valid UTF-8: it ends inside the character that begins at offset ${lead}`;
  return `is not valid UTF-8: byte 0x${(bytes[at] as number).toString(16).toUpperCase().padStart(2, '0')} at offset ${at} does not begin or continue a character`;
}

/**
 * Where a UTF-8 decoder must stop (RFC 3629: no overlong forms, no surrogates, nothing
 * above U+10FFFF, no truncated sequence): `at` is the offending byte (the length, when the
 * bytes end inside a character), `lead` where that character began; every byte before
 * `lead` is whole text. Both are the length for valid UTF-8. Only runs to explain a
 * refusal, so it favours plainness over speed.
 */
export function firstInvalidUtf8(bytes: Uint8Array): { lead: number; at: number } {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    let need: number;
    let min: number;
    let max = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b === 0xe0) [need, min] = [2, 0xa0];
    else if (b === 0xed) [need, min, max] = [2, 0x80, 0x9f];
    else if (b >= 0xe1 && b <= 0xef) [need, min] = [2, 0x80];
    else if (b === 0xf0) [need, min] = [3, 0x90];
    else if (b === 0xf4) [need, min, max] = [3, 0x80, 0x8f];
    else if (b >= 0xf1 && b <= 0xf3) [need, min] = [3, 0x80];
    else return { lead: i, at: i };
    // The second byte carries the range that rules out overlong forms and surrogates.
    for (let k = 1; k <= need; k += 1) {
      const c = bytes[i + k];
      if (c === undefined) return { lead: i, at: i + k };
      if (k === 1 ? c < min || c > max : c < 0x80 || c > 0xbf) return { lead: i, at: i + k };
    }
    i += need + 1;
  }
  return { lead: bytes.length, at: bytes.length };
}
