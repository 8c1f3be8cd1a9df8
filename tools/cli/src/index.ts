export { runImport, type ImportSummary } from './import/import-runner.js';
export { installRulePack, loadCity } from './commands/detection.js';
