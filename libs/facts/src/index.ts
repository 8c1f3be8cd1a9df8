export * from './queryable.js';
export * from './compute-facts.js';
export * from './fact-session.js';
