export * from './signing/key-ring.js';
export * from './signing/checkpoint.js';
export * from './bundle/bundle-input.js';
export * from './bundle/manifest.js';
export * from './bundle/write-bundle.js';
export * from './verify/failures.js';
export * from './verify/verify-bundle.js';
export * from './verify/pinned-keys.js';
