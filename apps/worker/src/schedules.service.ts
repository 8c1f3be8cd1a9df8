import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type pg from 'pg';
import type { AppConfig } from '@qadaga/config';
import { QUEUES, SCHEDULERS } from '@qadaga/contracts';
import { PartitionKeeper, partitionLogOf } from '@qadaga/ledger/partitions';
import { APP_CONFIG, PG_POOL } from './core/tokens.js';

/**
 * The worker's schedules, upserted at every start: a restarted or emptied Redis gets
 * them back, and the cursors and pending rows in PostgreSQL say where work resumes.
 * The ledger's and the access log's months ahead are made here too, at start and daily,
 * in the process rather than as a queued job: every process may make them (the SQL is
 * idempotent and serialised), and they must exist even when Redis is down.
 */
@Injectable()
export class SchedulesService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly partitions: PartitionKeeper;

  constructor(
    @InjectQueue(QUEUES.outbox) private readonly outbox: Queue,
    @InjectQueue(QUEUES.evaluation) private readonly evaluation: Queue,
    @InjectQueue(QUEUES.sweep) private readonly sweep: Queue,
    @InjectQueue(QUEUES.evidence) private readonly evidence: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PG_POOL) pool: pg.Pool,
  ) {
    this.partitions = new PartitionKeeper(pool, { log: partitionLogOf(new Logger('partitions')) });
  }

  onApplicationShutdown(): void {
    this.partitions.stop();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.partitions.start();
    const keep = { removeOnComplete: { count: 100 }, removeOnFail: { count: 1_000 } };
    await this.outbox.upsertJobScheduler(SCHEDULERS.relayOutbox, { every: 250 }, { name: 'relay-outbox', data: {}, opts: keep });
    // A safety net: the relay nudges evaluation as soon as it marks subjects.
    await this.evaluation.upsertJobScheduler(SCHEDULERS.evaluatePending, { every: 1_000 }, { name: 'evaluate-pending', data: {}, opts: keep });
    await this.sweep.upsertJobScheduler(
      SCHEDULERS.nightlySweep,
      { pattern: '0 3 * * *', tz: this.config.timeZone },
      { name: 'sweep', data: { requestedBy: 'schedule' }, opts: { ...keep, attempts: 3, backoff: { type: 'exponential', delay: 60_000 } } },
    );
    // Signed heads at a steady pace: an outside copy of them makes later rewriting detectable.
    await this.evidence.upsertJobScheduler(
      SCHEDULERS.checkpoint,
      { every: this.config.evidence.checkpointIntervalMinutes * 60_000 },
      { name: 'sign-checkpoint', data: {}, opts: { ...keep, attempts: 3 } },
    );
    // A scheduler that already existed waits a whole interval; sign once at start as well
    // (a no-op when no head moved since the last checkpoint).
    await this.evidence.add('sign-checkpoint', {}, { ...keep, attempts: 3 });
  }
}
