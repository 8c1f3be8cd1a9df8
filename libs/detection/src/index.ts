export * from './outbox-relay.js';
export * from './rule-runner.js';
export * from './pending-evaluator.js';
export * from './backtest.js';
export * from './quality.js';
export * from './install-rule-pack.js';
export * from './history-end.js';
export * from './coverage.js';
