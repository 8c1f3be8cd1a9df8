import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type pg from 'pg';
import { PartitionKeeper, partitionLogOf } from '@qadaga/ledger/partitions';
import { PG_POOL } from '../core/tokens.js';

/**
 * The months ahead of the ledger and the access log, made before the API takes its first
 * request and daily while it runs (the worker does the same; either alone is enough).
 */
@Injectable()
export class TimePartitionsAtStart implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly keeper: PartitionKeeper;

  constructor(@Inject(PG_POOL) pool: pg.Pool) {
    this.keeper = new PartitionKeeper(pool, { log: partitionLogOf(new Logger('partitions')) });
  }

  onApplicationBootstrap(): Promise<void> {
    return this.keeper.start();
  }

  onApplicationShutdown(): void {
    this.keeper.stop();
  }
}
