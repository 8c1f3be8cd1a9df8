import { describe, expect, it } from 'vitest';
import { isKazakhCivilPlate, plateKey } from './plate.js';

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
