/** Injection tokens; constructor parameters name them explicitly (tsx emits no decorator metadata). */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const PG_POOL = Symbol('PG_POOL');
export const RULE_RUNNER = Symbol('RULE_RUNNER');
export const SIGNING_KEYS = Symbol('SIGNING_KEYS');
export const RULE_REPOSITORY = Symbol('RULE_REPOSITORY');
export const BACKTESTER = Symbol('BACKTESTER');
