import { describe, expect, it } from 'vitest';
import { mayActOnCases, mayUse, pagesFor } from './access.js';

describe('pages each role may use', () => {
  it('shows a role only its own pages, and the union for several roles', () => {
    expect(pagesFor(['prosecutor'])).toEqual(['flags', 'mine', 'cases', 'profiles', 'places']);
    expect(pagesFor(['rule_author'])).toEqual(['rules']);
    expect(pagesFor(['auditor'])).toEqual(['flags', 'cases', 'ledger', 'bundles']);
    expect(pagesFor(['admin'])).toEqual(['flags', 'mine', 'cases', 'profiles', 'places', 'rules', 'ledger', 'bundles']);
    expect(pagesFor(['rule_author', 'auditor'])).toEqual(['flags', 'cases', 'rules', 'ledger', 'bundles']);
  });

  it('refuses pages outside the roles', () => {
    expect(mayUse(['rule_author'], 'flags')).toBe(false);
    expect(mayUse(['auditor'], 'rules')).toBe(false);
    expect(mayActOnCases(['auditor'])).toBe(false);
    expect(mayActOnCases(['prosecutor'])).toBe(true);
  });
});
