export * from './shared.js';
export * from './officer-profile.js';
export * from './vehicle-profile.js';
export * from './camera-profile.js';
export * from './places.js';
export * from './public-stats.js';
export * from './search.js';
