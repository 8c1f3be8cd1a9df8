import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { runService } from '@qadaga/config';
import { WorkerModule } from './worker.module.js';

/**
 * The worker: BullMQ processors in a Nest application context (no HTTP). Any number of
 * worker processes, on any number of hosts, can share one Redis and one PostgreSQL:
 * every job is idempotent and keeps no state of its own. Closing it lets each BullMQ
 * worker finish its current job first.
 */
await runService(async (config) => {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: ['error', 'warn', 'log'] });
  console.log('Qadaga worker running');
  return app;
});
