export * from './test-database.js';
export * from './superuser.js';
