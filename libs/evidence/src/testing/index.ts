export * from './synthetic-bundle.js';
