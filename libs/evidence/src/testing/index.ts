export * from './synthetic-bundle.js';
export * from './zip-entries.js';
export * from './forged-bundle.js';
