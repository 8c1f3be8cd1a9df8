/**
 * Injection tokens. The code runs under tsx, which does not emit decorator metadata,
 * so every constructor parameter names its token explicitly; that also keeps the
 * wiring readable without knowing Nest's reflection rules.
 */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const PG_POOL = Symbol('PG_POOL');
export const PRISMA = Symbol('PRISMA');
export const REDIS = Symbol('REDIS');
/** The replica's pool, or null when READ_DATABASE_URL is unset (reads then go through ReadRouting to the primary). */
export const READ_PG_POOL = Symbol('READ_PG_POOL');
