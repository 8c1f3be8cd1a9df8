export * from './primitives.js';
export * from './lifecycle-event.schema.js';
export * from './ingest.js';
export * from './queues.js';
export * from './reference.schema.js';
export * from './flags.js';
export * from './ids.js';
