/**
 * Who may call what. Every endpoint's contract states the roles that may reach it (or that
 * it is public); the server's guard reads them from there and the OpenAPI document lists them.
 */

/** The roles a person who uses the workbench may hold. */
export const USER_ROLES = ['prosecutor', 'rule_author', 'auditor', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** Every role a credential may hold: a person's, or a source system's key, which only writes events. */
export const ROLES = ['source', ...USER_ROLES] as const;
export type Role = (typeof ROLES)[number];

/** The languages of the workbench. */
export const LOCALES = ['ru', 'kk', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

