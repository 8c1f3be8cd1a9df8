import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import type { Job } from 'bullmq';
import type pg from 'pg';
import { QUEUES } from '@qadaga/contracts';
import { evaluatePending, type RuleRunner } from '@qadaga/detection';
import { PG_POOL, RULE_RUNNER } from '../core/tokens.js';

const MAX_ROUNDS = 20;

/** Drains the pending subjects in rounds; whatever is left waits for the next run. */
@Processor(QUEUES.evaluation, { concurrency: 1 })
export class EvaluationProcessor extends WorkerHost {
  static readonly handles = ['evaluate-pending'] as const;

  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(RULE_RUNNER) private readonly runner: RuleRunner,
  ) {
    super();
  }

  async process(job: Job): Promise<{ claimed: number; raised: number }> {
    if (job.name !== 'evaluate-pending') throw new Error(`no handler for job ${job.name} on ${QUEUES.evaluation}`);
    let claimed = 0;
    let raised = 0;
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const report = await evaluatePending(this.pool, this.runner);
      if (report.claimed === 0) break;
      claimed += report.claimed;
      raised += report.raised;
    }
    return { claimed, raised };
  }
}
