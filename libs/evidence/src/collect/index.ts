export * from './collect-bundle-input.js';
