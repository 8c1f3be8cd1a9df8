export * from './test-database.js';
export * from './superuser.js';
export * from './public-figures-attacker.js';
export * from './replica.js';
