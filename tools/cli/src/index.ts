export { runImport, type ImportSummary } from './import/import-runner.js';
export { loadCity } from './commands/detection.js';
