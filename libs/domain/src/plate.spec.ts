import { describe, expect, it } from 'vitest';
import { isKazakhCivilPlate, plateKey, plateKeyVariants } from './plate.js';

describe('plateKey', () => {
  it('folds Cyrillic look-alikes, case and separators into one key', () => {
    // "АВС" and "ВОХ" below are Cyrillic, typed as a clerk would.
    expect(plateKey('123 АВС 02')).toBe('123ABC02');
    expect(plateKey('123abc02')).toBe('123ABC02');
    expect(plateKey('777-ВОХ-01')).toBe('777BOX01');
  });

  it('keeps letters that have no look-alike', () => {
    expect(plateKey('123 ЖЖЖ 02')).toBe('123ЖЖЖ02');
  });

  it('recognises the current civil format only after normalisation', () => {
    expect(isKazakhCivilPlate(plateKey('123 АВС 02'))).toBe(true);
    expect(isKazakhCivilPlate(plateKey('A123BC'))).toBe(false);
  });
});

describe('plateKeyVariants', () => {
  it('reads O/0 and I/1 both ways, the civil format first, beside the key as typed', () => {
    // "ОО" Cyrillic and zeros where the format wants letters.
    const variants = plateKeyVariants('1O0 А0С 02');
    expect(variants[0]).toBe('1O0A0C02');
    expect(variants[1]).toBe('100AOC02');
    expect(variants).toContain('I00AOC02');
    expect(new Set(variants).size).toBe(variants.length);
  });

  it('answers the key alone when nothing is ambiguous, and a bounded list when much is', () => {
    expect(plateKeyVariants('234 abc 22')).toEqual(['234ABC22']);
    expect(plateKeyVariants('0000000000000').length).toBeLessThanOrEqual(2 + 2 ** 6);
  });

  it('works on the start of a plate', () => {
    expect(plateKeyVariants('1o')).toEqual(['1O', '10', 'IO', 'I0']);
  });
});
