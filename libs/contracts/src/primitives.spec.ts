import { describe, expect, it } from 'vitest';
import { MAX_AMOUNT, isText, jsonNestsDeeperThan, parseInstant, text } from './primitives.js';

describe('parseInstant', () => {
  it('refuses offsets no place uses, and never throws', () => {
    for (const offset of ['+99:99', '+14:01', '-14:30', '+15:00', '+05:60', '-99:00']) {
      const parsed = parseInstant(`2026-03-01T10:15:00${offset}`);
      expect(parsed, offset).toMatchObject({ ok: false, message: expect.stringMatching(/offset/u) });
    }
  });

  it('accepts the furthest real offsets', () => {
    expect(parseInstant('2026-03-01T10:15:00+14:00')).toEqual({ ok: true, iso: '2026-02-28T20:15:00.000Z' });
    expect(parseInstant('2026-03-01T10:15:00-12:00')).toEqual({ ok: true, iso: '2026-03-01T22:15:00.000Z' });
    expect(parseInstant('2026-03-01T10:15:00.123456789+05:45')).toEqual({ ok: true, iso: '2026-03-01T04:30:00.123Z' });
  });
});

describe('text', () => {
  it('refuses NUL and lone surrogates, and keeps paired ones', () => {
    for (const bad of ['a\u0000', '\ud800', 'x\udc00', '\udbff\ud800', 'end\ud83d']) {
      expect(isText(bad, 10), JSON.stringify(bad)).toBe(false);
      expect(text(10).safeParse(bad).success).toBe(false);
    }
    expect(isText('plate 😀 ok', 20)).toBe(true);
    expect(text(20).safeParse('plate 😀 ok').success).toBe(true);
  });
});

describe('jsonNestsDeeperThan', () => {
  it('counts brackets outside strings only', () => {
    expect(jsonNestsDeeperThan('{"a":[[1]]}', 3)).toBe(false);
    expect(jsonNestsDeeperThan('{"a":[[[1]]]}', 3)).toBe(true);
    expect(jsonNestsDeeperThan(`{"a":"${'['.repeat(100)}\\"[["}`, 1)).toBe(false);
  });

  it('scans a text far deeper than the stack without overflowing it', () => {
    expect(jsonNestsDeeperThan('['.repeat(1_000_000), 32)).toBe(true);
  });
});

describe('MAX_AMOUNT', () => {
  it('is what numeric(14,2) holds', () => {
    expect(MAX_AMOUNT.toFixed(2)).toBe('999999999999.99');
  });
});

describe('jsonNestsDeeperThan at its limit', () => {
  it('tells exactly the limit from one more, with brackets of both kinds', () => {
    expect(jsonNestsDeeperThan(`${'['.repeat(16)}${'{"a":'.repeat(16)}1${'}'.repeat(16)}${']'.repeat(16)}`, 32)).toBe(false);
    expect(jsonNestsDeeperThan(`${'['.repeat(17)}${'{"a":'.repeat(16)}1${'}'.repeat(16)}${']'.repeat(17)}`, 32)).toBe(true);
    // Many brackets side by side are no depth at all.
    expect(jsonNestsDeeperThan(`[${'[],'.repeat(100)}[]]`, 32)).toBe(false);
  });
});
