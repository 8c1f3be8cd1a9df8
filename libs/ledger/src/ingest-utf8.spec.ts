import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstInvalidUtf8, utf8Problem } from './ingest-utf8.js';

const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const decodes = (bytes: Uint8Array): boolean => {
  try {
    fatal.decode(bytes);
    return true;
  } catch {
    return false;
  }
};

/** Bytes near UTF-8: valid text with a few arbitrary bytes spliced in, where errors hide. */
const nearUtf8 = fc
  .tuple(fc.string({ unit: 'binary', maxLength: 40 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0x80, max: 0xff })), { maxLength: 3 }))
  .map(([text, splices]) => {
    const bytes = [...Buffer.from(text)];
    for (const [at, byte] of splices) bytes.splice(at % (bytes.length + 1), 0, byte);
    return Uint8Array.from(bytes);
  });

describe('utf8Problem', () => {
  it('refuses exactly what a fatal decoder refuses, and names the first byte it stops at', () => {
    fc.assert(
      fc.property(fc.oneof(nearUtf8, fc.uint8Array({ maxLength: 12 })), (bytes) => {
        const valid = decodes(bytes);
        expect(utf8Problem(bytes) === undefined).toBe(valid);
        const { lead, at } = firstInvalidUtf8(bytes);
        expect(at === bytes.length && lead === bytes.length).toBe(valid);
        if (!valid) {
          // Everything before the failing character is text; with the offending byte it is not.
          expect(decodes(bytes.subarray(0, lead))).toBe(true);
          expect(decodes(bytes.subarray(0, at + 1))).toBe(false);
        }
      }),
      { seed: 20_261_207, numRuns: 5_000 },
    );
  });

  it('says where, by byte and offset', () => {
    expect(utf8Problem(Buffer.from([0x61, 0xff]))).toBe('is not valid UTF-8: byte 0xFF at offset 1 does not begin or continue a character');
    expect(utf8Problem(Buffer.from([0x61, 0xd0]))).toBe('is not valid UTF-8: it ends inside the character that begins at offset 1');
    expect(utf8Problem(Buffer.from('Әуезов 😀'))).toBeUndefined();
  });
});
