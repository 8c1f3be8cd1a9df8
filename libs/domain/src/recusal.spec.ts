import { describe, expect, it } from 'vitest';
import { Recusal } from './recusal.js';

describe('recusal', () => {
  const officer = new Recusal({ officerId: 'OF-201', unit: 'U-9' });

  it('covers the officer themselves and every officer of their unit', () => {
    expect(officer.coversOfficer('OF-201', 'U-1')).toBe(true);
    expect(officer.coversOfficer('OF-300', 'U-9')).toBe(true);
    expect(officer.coversOfficer('OF-300', 'U-1')).toBe(false);
    expect(officer.coversOfficer('OF-300', null)).toBe(false);
  });

  it('covers a subject that is the officer, the officer half of a pair, or the unit', () => {
    expect(officer.coversSubject('OF-201', null)).toBe(true);
    expect(officer.coversSubject('OF-201|123ABC02', 'U-1')).toBe(true);
    expect(officer.coversSubject('U-9', null)).toBe(true);
    expect(officer.coversSubject('123ABC02', 'U-9')).toBe(true);
    expect(officer.coversSubject('123ABC02', 'U-1')).toBe(false);
    // A plate that happens to end like the officer id is not the officer.
    expect(officer.coversSubject('X|OF-201', 'U-1')).toBe(false);
  });

  it('withholds nothing from a person linked to no officer or unit', () => {
    const none = new Recusal({ officerId: null, unit: '  ' });
    expect(none.applies).toBe(false);
    expect(none.subjects).toEqual([]);
    expect(none.coversSubject('OF-201', 'U-9')).toBe(false);
    expect(none.coversAny(['OF-201', 'U-9', null])).toBe(false);
  });

  it('finds a recused name among many', () => {
    expect(officer.coversAny(['OF-1', null, 'U-9'])).toBe(true);
    expect(officer.coversAny(['OF-1', undefined])).toBe(false);
    expect(new Recusal({ unit: 'U-9' }).subjects).toEqual(['U-9']);
  });
});
