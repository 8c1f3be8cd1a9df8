export * from './events.js';
export * from './plate.js';
export * from './lifecycle.js';
export * from './time.js';
