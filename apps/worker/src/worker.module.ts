import { BullModule, Processor } from '@nestjs/bullmq';
import { Global, Inject, Logger, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type pg from 'pg';
import type { AppConfig } from '@qadaga/config';
import { JOB_QUEUE, QUEUES, type JobName } from '@qadaga/contracts';
import { ReplicaCatchUp, RuleRepository, createPool, createPrismaClient, replicaPoolIfConfigured } from '@qadaga/db';
import { Backtester, RuleRunner } from '@qadaga/detection';
import { bullConnection } from './core/redis-connection.js';
import { BacktestProcessor } from './backtest/backtest.processor.js';
import { APP_CONFIG, BACKTESTER, PG_POOL, READ_PG_POOL, REPLICA_CATCH_UP, RULE_REPOSITORY, RULE_RUNNER, SIGNING_KEYS } from './core/tokens.js';
import { EvidenceProcessor } from './evidence/evidence.processor.js';
import { signingKeyRing } from './evidence/signing-keys.js';
import { EvaluationProcessor } from './evaluation/evaluation.processor.js';
import { OutboxProcessor } from './outbox/outbox.processor.js';
import { SchedulesService } from './schedules.service.js';
import { SweepProcessor, sweepWorkerOptions } from './sweep/sweep.processor.js';

const PROCESSORS = [OutboxProcessor, EvaluationProcessor, SweepProcessor, EvidenceProcessor, BacktestProcessor];

/** Fails at startup when a job defined in the contracts has no processor here. */
export function assertEveryJobHandled(): void {
  const handled = new Set<string>(PROCESSORS.flatMap((p) => [...p.handles]));
  const missing = (Object.keys(JOB_QUEUE) as JobName[]).filter((name) => !handled.has(name));
  if (missing.length > 0) throw new Error(`no processor handles: ${missing.join(', ')}`);
}

@Global()
@Module({})
export class WorkerModule implements OnApplicationShutdown {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(READ_PG_POOL) private readonly readPool: pg.Pool | null,
  ) {}

  static forRoot(config: AppConfig): DynamicModule {
    assertEveryJobHandled();
    // The sweep's lock and stall check come from the configuration: set here, before Nest
    // creates the BullMQ worker from the class's metadata.
    Processor(QUEUES.sweep, sweepWorkerOptions(config))(SweepProcessor);
    const providers = [
      { provide: APP_CONFIG, useValue: config },
      { provide: PG_POOL, useFactory: () => createPool({ url: config.database.url, size: config.database.poolSize, applicationName: 'qadaga-worker' }) },
      {
        provide: READ_PG_POOL,
        useFactory: () => {
          const logger = new Logger('replica');
          return replicaPoolIfConfigured({ url: config.database.readUrl, size: config.database.poolSize, applicationName: 'qadaga-worker-read', log: (message) => logger.warn(message) });
        },
      },
      {
        provide: REPLICA_CATCH_UP,
        useFactory: (pool: pg.Pool, readPool: pg.Pool | null) => {
          const logger = new Logger('replica');
          return new ReplicaCatchUp(pool, readPool, { waitMs: config.database.replicaCatchUpMs, log: (message) => logger.warn(message) });
        },
        inject: [PG_POOL, READ_PG_POOL],
      },
      { provide: RULE_REPOSITORY, useFactory: (pool: pg.Pool) => new RuleRepository(createPrismaClient(pool)), inject: [PG_POOL] },
      {
        provide: RULE_RUNNER,
        // Families for multiple-testing rules are reused for five minutes between incremental
        // evaluations; the nightly sweep recomputes everything.
        useFactory: (pool: pg.Pool, rules: RuleRepository) => new RuleRunner(pool, rules, config.timeZone, { familyCacheMs: 5 * 60_000, factParallelWorkers: config.detection.factParallelWorkers }),
        inject: [PG_POOL, RULE_REPOSITORY],
      },
      { provide: BACKTESTER, useFactory: (pool: pg.Pool, reads: ReplicaCatchUp) => new Backtester(pool, config.timeZone, { reads }), inject: [PG_POOL, REPLICA_CATCH_UP] },
      { provide: SIGNING_KEYS, useFactory: (pool: pg.Pool) => signingKeyRing(config.evidence.signingKeyFiles, pool), inject: [PG_POOL] },
    ];
    return {
      module: WorkerModule,
      imports: [
        BullModule.forRoot({
          connection: bullConnection(config.redis.url),
          defaultJobOptions: { attempts: 5, backoff: { type: 'exponential', delay: 1_000 }, removeOnComplete: { count: 1_000 }, removeOnFail: { count: 5_000 } },
        }),
        BullModule.registerQueue(...Object.values(QUEUES).map((name) => ({ name }))),
      ],
      providers: [...providers, ...PROCESSORS, SchedulesService],
      exports: providers.map((p) => p.provide),
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
    await this.readPool?.end();
  }
}
