import { BullModule } from '@nestjs/bullmq';
import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '@qadaga/config';
import { QUEUES } from '@qadaga/contracts';

/** The queues the API adds jobs to (the worker runs them); names come from the shared contracts. */
@Global()
@Module({})
export class QueuesModule {
  static forRoot(config: AppConfig): DynamicModule {
    const url = new URL(config.redis.url);
    const bull = BullModule.forRoot({
      connection: {
        host: url.hostname,
        port: Number(url.port || 6379),
        db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
        ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
        // Adding a job must fail fast while Redis is down, not hang the request.
        enableOfflineQueue: false,
      },
    });
    // Every queue: the API adds sweeps, bundles and backtests, and the jobs view reads them all.
    const queues = BullModule.registerQueue(...Object.values(QUEUES).map((name) => ({ name })));
    return { module: QueuesModule, imports: [bull, queues], exports: [queues] };
  }
}
