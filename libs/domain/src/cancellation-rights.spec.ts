import { describe, expect, it } from 'vitest';
import { mayCancel } from './cancellation-rights.js';

describe('who may cancel a fine', () => {
  it('lets anyone who reviews cancel before the notice', () => {
    expect(mayCancel({ actorKind: 'officer', role: 'reviewer' }, false)).toBe(true);
  });

  it('lets only supervisors and the appeals desk cancel after the notice', () => {
    expect(mayCancel({ actorKind: 'officer', role: 'reviewer' }, true)).toBe(false);
    expect(mayCancel({ actorKind: 'officer', role: 'supervisor' }, true)).toBe(true);
    expect(mayCancel({ actorKind: 'officer', role: 'appeals_desk' }, true)).toBe(true);
  });

  it('does not judge courts and systems by role', () => {
    expect(mayCancel({ actorKind: 'court', role: 'court' }, true)).toBe(true);
    expect(mayCancel({ actorKind: 'system', role: 'system' }, true)).toBe(true);
  });
});
