import { Global, Inject, Logger, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import type pg from 'pg';
import type { AppConfig } from '@qadaga/config';
import {
  AccessLogRepository,
  BundleRepository,
  CaseRepository,
  CheckpointRepository,
  PseudonymRepository,
  UserRepository,
  ApiKeyRepository,
  FlagRepository,
  ReferenceRepository,
  OfficerUnits,
  RuleRepository,
  ReadRouting,
  ReplicaCatchUp,
  createPool,
  createPrismaClient,
  replicaPoolIfConfigured,
  type PrismaClient,
} from '@qadaga/db';
import { AccessLogVerifier, IngestPipeline, LedgerReader, LedgerVerifier, LedgerWriter, defaultIngestThreads } from '@qadaga/ledger';
import { Backtester } from '@qadaga/detection';
import { APP_CONFIG, PG_POOL, PRISMA, READ_PG_POOL, REDIS } from './tokens.js';
import { redisWriteMarks } from './write-marks.js';

/** The process-wide resources, made once: config, one pg pool, one Prisma client, one Redis. */
@Global()
@Module({})
export class CoreModule implements OnApplicationShutdown {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(READ_PG_POOL) private readonly readPool: pg.Pool | null,
    // Named explicitly: the TypeScript here is compiled without decorator metadata.
    @Inject(AccessLogRepository) private readonly accessLog: AccessLogRepository,
  ) {}

  static forRoot(config: AppConfig): DynamicModule {
    const providers = [
      { provide: APP_CONFIG, useValue: config },
      { provide: PG_POOL, useFactory: () => createPool({ url: config.database.url, size: config.database.poolSize, applicationName: 'qadaga-api' }) },
      { provide: PRISMA, useFactory: (pool: pg.Pool) => createPrismaClient(pool), inject: [PG_POOL] },
      {
        provide: READ_PG_POOL,
        useFactory: () => {
          const logger = new Logger('replica');
          return replicaPoolIfConfigured({ url: config.database.readUrl, size: config.database.poolSize, applicationName: 'qadaga-api-read', log: (message) => logger.warn(message) });
        },
      },
      {
        provide: REDIS,
        // Readiness probes must answer fast, so Redis commands fail instead of queueing while it is down.
        useFactory: () => new Redis(config.redis.url, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: false }),
      },
      {
        provide: ReadRouting,
        useFactory: (pool: pg.Pool, readPool: pg.Pool | null, redis: Redis) => new ReadRouting(pool, readPool, redisWriteMarks(redis)),
        inject: [PG_POOL, READ_PG_POOL, REDIS],
      },
      { provide: LedgerWriter, useFactory: (pool: pg.Pool) => new LedgerWriter(pool), inject: [PG_POOL] },
      { provide: LedgerVerifier, useFactory: (pool: pg.Pool) => new LedgerVerifier(pool), inject: [PG_POOL] },
      { provide: LedgerReader, useFactory: (pool: pg.Pool, prisma: PrismaClient) => new LedgerReader(pool, prisma), inject: [PG_POOL, PRISMA] },
      { provide: IngestPipeline, useFactory: (writer: LedgerWriter) => new IngestPipeline(writer, { threads: defaultIngestThreads(), maxConcurrentWrites: config.ingest.concurrentWrites }), inject: [LedgerWriter] },
      { provide: ApiKeyRepository, useFactory: (prisma: PrismaClient) => new ApiKeyRepository(prisma), inject: [PRISMA] },
      { provide: AccessLogRepository, useFactory: (pool: pg.Pool) => new AccessLogRepository(pool), inject: [PG_POOL] },
      { provide: AccessLogVerifier, useFactory: (pool: pg.Pool) => new AccessLogVerifier(pool), inject: [PG_POOL] },
      { provide: UserRepository, useFactory: (pool: pg.Pool) => new UserRepository(pool), inject: [PG_POOL] },
      { provide: PseudonymRepository, useFactory: (pool: pg.Pool) => new PseudonymRepository(pool), inject: [PG_POOL] },
      { provide: CaseRepository, useFactory: (pool: pg.Pool) => new CaseRepository(pool), inject: [PG_POOL] },
      { provide: CheckpointRepository, useFactory: (pool: pg.Pool) => new CheckpointRepository(pool), inject: [PG_POOL] },
      { provide: BundleRepository, useFactory: (pool: pg.Pool) => new BundleRepository(pool), inject: [PG_POOL] },
      { provide: RuleRepository, useFactory: (prisma: PrismaClient) => new RuleRepository(prisma), inject: [PRISMA] },
      { provide: FlagRepository, useFactory: (pool: pg.Pool) => new FlagRepository(pool), inject: [PG_POOL] },
      { provide: OfficerUnits, useFactory: (pool: pg.Pool) => new OfficerUnits(pool), inject: [PG_POOL] },
      { provide: ReferenceRepository, useFactory: (pool: pg.Pool) => new ReferenceRepository(pool), inject: [PG_POOL] },
      {
        provide: Backtester,
        // A backtest reads the replica once it has replayed what the primary held when the backtest began.
        useFactory: (pool: pg.Pool, readPool: pg.Pool | null) => {
          const logger = new Logger('replica');
          const reads = new ReplicaCatchUp(pool, readPool, { waitMs: config.database.replicaCatchUpMs, log: (message) => logger.warn(message) });
          return new Backtester(pool, config.timeZone, { reads });
        },
        inject: [PG_POOL, READ_PG_POOL],
      },
    ];
    return { module: CoreModule, providers, exports: providers.map((p) => p.provide) };
  }

  async onApplicationShutdown(): Promise<void> {
    // Requests answered last may still be waiting on their access records.
    await this.accessLog.drain();
    this.redis.disconnect();
    await this.prisma.$disconnect();
    await this.pool.end();
    await this.readPool?.end();
  }
}
