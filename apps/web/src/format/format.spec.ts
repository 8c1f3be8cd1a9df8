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

describe('dates and numbers in each language', () => {
  // 11:02 UTC is 16:02 in Almaty, where every instant is shown.
  const instant = '2026-12-07T11:02:00Z';
  it.each([
    ['ru', '7 дек. 2026 г., 16:02', '7 дек. 2026 г.', '1 234,5', '12,5 %'],
    ['kk', '2026 ж. 07 жел., 16:02', '2026 ж. 07 жел.', '1 234,5', '12,5%'],
    ['en', '7 Dec 2026, 16:02', '7 Dec 2026', '1,234.5', '12.5%'],
  ] as const)('writes %s as its readers do', (locale, dateTime, date, decimal, percent) => {
    const f = formatters(locale);
    // Intl separates groups and units with no-break spaces; compare the words, not the space kind.
    const plain = (s: string) => s.replace(/[\u00a0\u202f]/gu, ' ');
    expect(plain(f.dateTime(instant))).toBe(dateTime);
    expect(plain(f.date(instant))).toBe(date);
    expect(plain(f.number(1234.5, 1))).toBe(decimal);
    expect(plain(f.percent(0.125))).toBe(percent);
  });
});

describe('numbers inside translated sentences', () => {
  it('are written as the page writes numbers, Kazakh with a space between thousands', async () => {
    const { i18next } = await import('../i18n/i18n.js');
    await i18next.changeLanguage('kk');
    expect(i18next.t('common.range', { from: 1, to: 50, total: 12345 }).replace(/[\u00a0\u202f]/gu, ' ')).toBe('12 345 ішінен 1–50');
    await i18next.changeLanguage('en');
    expect(i18next.t('common.range', { from: 1, to: 50, total: 12345 })).toBe('1–50 of 12,345');
  });
});
