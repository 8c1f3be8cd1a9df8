/** Injection tokens; constructor parameters name them explicitly (tsx emits no decorator metadata). */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const PG_POOL = Symbol('PG_POOL');
/** The streaming replica's pool (READ_DATABASE_URL), or null: every read on the primary. */
export const READ_PG_POOL = Symbol('READ_PG_POOL');
/** Where a sweep's or backtest's facts are read: the replica once caught up, else the primary. */
export const REPLICA_CATCH_UP = Symbol('REPLICA_CATCH_UP');
export const RULE_RUNNER = Symbol('RULE_RUNNER');
export const SIGNING_KEYS = Symbol('SIGNING_KEYS');
export const RULE_REPOSITORY = Symbol('RULE_REPOSITORY');
export const BACKTESTER = Symbol('BACKTESTER');
