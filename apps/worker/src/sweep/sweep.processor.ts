import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import type pg from 'pg';
import { QUEUES, type JobPayloads } from '@qadaga/contracts';
import { sweepInstant, type AsOfBasis, type EvaluationReport, type RuleRunner } from '@qadaga/detection';
import { PG_POOL, RULE_RUNNER } from '../core/tokens.js';

/** A sweep's result: what it judged, and the instant it judged it as of (and why that one). */
export interface SweepResult extends EvaluationReport {
  asOf: string;
  asOfBasis: AsOfBasis;
}

/**
 * A full re-evaluation of published rules over every subject, as of the instant given or
 * else the end of the ledger's history (an imported history is judged as it stood when it
 * ended; a live ledger, now). It is idempotent (flags
 * are upserted), so a sweep killed half-way and run again ends with the same flags.
 */
// The lock is renewed while a sweep runs; a short lock and stall check mean that a
// sweep whose worker died is picked up by another within about 20 s.
@Processor(QUEUES.sweep, { concurrency: 1, lockDuration: 15_000, stalledInterval: 5_000, maxStalledCount: 3 })
export class SweepProcessor extends WorkerHost {
  static readonly handles = ['sweep'] as const;
  private readonly logger = new Logger('sweep');

  constructor(
    @Inject(RULE_RUNNER) private readonly runner: RuleRunner,
    @Inject(PG_POOL) private readonly pool: pg.Pool,
  ) {
    super();
  }

  async process(job: Job<JobPayloads['sweep']>): Promise<SweepResult> {
    if (job.name !== 'sweep') throw new Error(`no handler for job ${job.name} on ${QUEUES.sweep}`);
    const { asOf, basis } = await sweepInstant(this.pool, job.data.asOf);
    const { rules } = await this.runner.publishedRules(job.data.ruleIds === undefined ? {} : { ruleIds: job.data.ruleIds });
    const total: EvaluationReport = { rules: 0, subjects: 0, fired: 0, raised: 0, refreshed: 0, invalid: [] };
    for (const [i, { definition }] of rules.entries()) {
      const report = await this.runner.evaluate({ asOf, ruleIds: [definition.id] });
      total.rules += report.rules;
      total.subjects += report.subjects;
      total.fired += report.fired;
      total.raised += report.raised;
      total.refreshed += report.refreshed;
      total.invalid.push(...report.invalid);
      await job.updateProgress(Math.round(((i + 1) / Math.max(1, rules.length)) * 100));
    }
    this.logger.log(`sweep as of ${asOf.toISOString()} (${basis}): ${total.rules} rules, ${total.fired} fired, ${total.raised} new flags`);
    return { ...total, asOf: asOf.toISOString(), asOfBasis: basis };
  }
}
