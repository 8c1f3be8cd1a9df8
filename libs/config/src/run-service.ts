import { ConfigError, configFromProcess, type AppConfig } from './config.js';

/**
 * Starts a long-running process (the API, a worker) from the validated configuration,
 * and stops it gracefully on SIGTERM or SIGINT: the service closes (requests drain,
 * workers finish their job) and the process then exits normally, so exit hooks run.
 * A bad configuration ends the process with the operator-facing message and code 78.
 */
export async function runService(start: (config: AppConfig) => Promise<{ close(): Promise<void> }>): Promise<void> {
  let config: AppConfig;
  try {
    config = configFromProcess();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
  const service = await start(config);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      void service.close().finally(() => process.exit(0));
    });
  }
}
