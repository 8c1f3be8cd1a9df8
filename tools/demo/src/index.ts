export {
  DEFAULT_DATA_DIR,
  DEFAULT_DATABASE_URL,
  DEFAULT_REDIS_URL,
  ensureServices,
  type EnsureServicesOptions,
  type RunningServices,
} from './services.js';
export { startApiProcess, startWorkerProcess, type ApiProcess } from './api-process.js';
export { DEMO_PASSWORD, DEMO_USERS, demoSigningKeyFile, seedDemoUsers } from './demo-people.js';
