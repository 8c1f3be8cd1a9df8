import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError, configFromProcess } from '@qadaga/config';
import { WorkerModule } from './worker.module.js';

/**
 * The worker: BullMQ processors in a Nest application context (no HTTP). Any number of
 * worker processes, on any number of hosts, can share one Redis and one PostgreSQL:
 * every job is idempotent and keeps no state of its own.
 */
try {
  const config = configFromProcess();
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: ['error', 'warn', 'log'] });
  console.log('Qadaga worker running');
  // Graceful stop: BullMQ workers finish their current job (worker.close) before exit.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      void app.close().finally(() => process.exit(0));
    });
  }
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78);
  }
  throw error;
}
