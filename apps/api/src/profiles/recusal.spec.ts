import { describe, expect, it } from 'vitest';
import { recusalReason } from './recusal.js';

const user = (officerId: string | null, unit: string | null) => ({ id: 'user:1', roles: ['prosecutor' as const], sourceCode: null, officerId, unit });

describe('recusal', () => {
  it('refuses the officer themselves and anyone of their unit', () => {
    expect(recusalReason(user('OF-1', 'U-9'), { id: 'OF-1', unit: 'U-1' })).toMatch(/own profile/u);
    expect(recusalReason(user(null, 'U-1'), { id: 'OF-2', unit: 'U-1' })).toMatch(/own unit U-1/u);
  });

  it('lets others through, including callers with no officer or unit', () => {
    expect(recusalReason(user('OF-5', 'U-2'), { id: 'OF-1', unit: 'U-1' })).toBeNull();
    expect(recusalReason({ id: 'key:1', roles: ['auditor'], sourceCode: null }, { id: 'OF-1', unit: 'U-1' })).toBeNull();
    expect(recusalReason(user(null, 'U-1'), { id: 'OF-1', unit: null })).toBeNull();
  });
});
