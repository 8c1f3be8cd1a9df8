export * from './time-partitions.js';
export * from './partition-keeper.js';
