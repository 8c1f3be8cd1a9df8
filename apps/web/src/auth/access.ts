import { searchEndpoints, type UserRole } from '@qadaga/contracts/api';

/** The pages of the workbench; the menu and the routes show only what a user's roles may use. */
export const PAGES = ['flags', 'mine', 'cases', 'profiles', 'places', 'rules', 'ledger', 'bundles'] as const;
export type Page = (typeof PAGES)[number];

const PAGES_OF_ROLE: Record<UserRole, readonly Page[]> = {
  prosecutor: ['flags', 'mine', 'cases', 'profiles', 'places'],
  rule_author: ['rules'],
  auditor: ['flags', 'cases', 'ledger', 'bundles'],
  admin: PAGES,
};

export function pagesFor(roles: readonly UserRole[]): Page[] {
  const allowed = new Set(roles.flatMap((r) => PAGES_OF_ROLE[r] ?? []));
  return PAGES.filter((p) => allowed.has(p));
}

export function mayUse(roles: readonly UserRole[], page: Page): boolean {
  return pagesFor(roles).includes(page);
}

/** Acting on flags and cases (status, notes, new cases) is the prosecutors' work; auditors read. */
export function mayActOnCases(roles: readonly UserRole[]): boolean {
  return roles.includes('prosecutor') || roles.includes('admin');
}

/** The top bar's search box and its results page: for whoever the search endpoint lets in. */
export function maySearch(roles: readonly UserRole[]): boolean {
  const access: readonly string[] = searchEndpoints.search.access;
  return roles.some((r) => access.includes(r));
}
