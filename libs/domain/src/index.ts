export * from './events.js';
export * from './plate.js';
export * from './lifecycle.js';
export * from './time.js';
export * from './reference.js';
export * from './schemes.js';
export * from './recusal.js';
