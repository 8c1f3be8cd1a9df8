import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import type pg from 'pg';
import { QUEUES } from '@qadaga/contracts';
import { relayOutbox } from '@qadaga/detection';
import { PG_POOL } from '../core/tokens.js';

/** Relays new ledger events to pending evaluations, then nudges the evaluation queue. */
@Processor(QUEUES.outbox, { concurrency: 1 })
export class OutboxProcessor extends WorkerHost {
  static readonly handles = ['relay-outbox'] as const;
  private readonly logger = new Logger('outbox');

  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @InjectQueue(QUEUES.evaluation) private readonly evaluation: Queue,
  ) {
    super();
  }

  async process(job: Job): Promise<{ events: number; marked: number }> {
    if (job.name !== 'relay-outbox') throw new Error(`no handler for job ${job.name} on ${QUEUES.outbox}`);
    const result = await relayOutbox(this.pool);
    if (result.marked > 0) {
      // One nudge at a time: while one waits, further nudges collapse into it.
      await this.evaluation.add('evaluate-pending', {}, { jobId: 'evaluate-pending-nudge', removeOnComplete: true, removeOnFail: 100 });
      this.logger.debug(`relayed ${result.events} events, ${result.marked} subjects pending`);
    }
    return result;
  }
}
