export * from './catalogue/index.js';
export * from './queryable.js';
export * from './compute-facts.js';
export * from './fact-session.js';
export { profileHistoryDays, SOURCE_PROFILE_HISTORY_DAYS, sourceProfiles } from './source-profiles.js';
export { foldViolations, type FoldedRow } from './violation-facts.js';
