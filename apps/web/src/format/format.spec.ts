import { describe, expect, it } from 'vitest';
import { formatters } from './format.js';

describe('sizes in the reader\u2019s locale', () => {
  it('counts small files in bytes and larger ones in kilobytes and megabytes', () => {
    const en = formatters('en');
    expect(en.bytes(312)).toBe('312 byte');
    expect(en.bytes(2048)).toBe('2 kB');
    expect(en.bytes(3.5 * 1_048_576)).toBe('3.5 MB');
    expect(formatters('ru').bytes(2048)).toMatch(/^2\s?кБ$/u);
  });
});
