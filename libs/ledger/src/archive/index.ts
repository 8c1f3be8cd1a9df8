export * from './archive-month.js';
export * from './archive-records.js';
export * from './archived-chains.js';
export * from './month-boundaries.js';
export * from './month-partition.js';
export * from './month-rows.js';
