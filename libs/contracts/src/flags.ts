export { FlagHistoryEntry } from './api/flags.js';
