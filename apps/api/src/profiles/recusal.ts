import type { Principal } from '../auth/principal.js';

/**
 * Nobody reviews themselves or their own unit. Returns why the principal must not see
 * the officer's profile, or null when they may.
 */
export function recusalReason(principal: Principal, officer: { id: string; unit: string | null }): string | null {
  if (principal.officerId != null && principal.officerId === officer.id) return 'you cannot view your own profile (recusal)';
  if (principal.unit != null && officer.unit !== null && principal.unit === officer.unit) {
    return `you cannot view profiles of your own unit ${officer.unit} (recusal)`;
  }
  return null;
}
