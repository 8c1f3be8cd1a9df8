export * from './queryable.js';
export * from './compute-facts.js';
