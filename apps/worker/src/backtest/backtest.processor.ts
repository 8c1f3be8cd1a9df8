import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import { QUEUES, type JobPayloads } from '@qadaga/contracts';
import type { RuleRepository } from '@qadaga/db';
import { publishedCounterpart, type Backtester, type BacktestResult } from '@qadaga/detection';
import { validateRule, type RuleDefinition } from '@qadaga/rules';
import { BACKTESTER, RULE_REPOSITORY } from '../core/tokens.js';

/**
 * Backtests of a draft over a range too long to answer within a request. The job only
 * reads, so running it twice gives the same answer; its result (raw subject ids) stays in
 * Redis for the API, which pseudonymises it for each reader by their roles.
 */
// One at a time: a first run is one large SQL pass per subject kind, and two at once on a
// small host only slow each other down.
@Processor(QUEUES.backtest, { concurrency: 1, lockDuration: 60_000 })
export class BacktestProcessor extends WorkerHost {
  static readonly handles = ['backtest'] as const;
  private readonly logger = new Logger('backtest');

  constructor(
    @Inject(BACKTESTER) private readonly backtester: Backtester,
    @Inject(RULE_REPOSITORY) private readonly rules: RuleRepository,
  ) {
    super();
  }

  async process(job: Job<JobPayloads['backtest']>): Promise<BacktestResult> {
    if (job.name !== 'backtest') throw new Error(`no handler for job ${job.name} on ${QUEUES.backtest}`);
    const { draft, range } = checkedPayload(job.data);
    const published = await publishedCounterpart(this.rules, draft.id);
    const result = await this.backtester.run(draft, published, range, { onProgress: (percent) => job.updateProgress(percent) });
    this.logger.log(`backtest of ${draft.id} over ${range.from.toISOString()}..${range.to.toISOString()}: ${result.flags.length} of ${result.subjects} subjects flagged`);
    return result;
  }
}

/**
 * The API checked the payload before queueing it, but anything with access to Redis can
 * add a job: a payload that cannot run fails at once, naming the field, without retries.
 */
export function checkedPayload(data: JobPayloads['backtest']): { draft: RuleDefinition; range: { from: Date; to: Date } } {
  const problems: string[] = [];
  const from = typeof data.from === 'string' ? new Date(data.from) : new Date(Number.NaN);
  const to = typeof data.to === 'string' ? new Date(data.to) : new Date(Number.NaN);
  if (Number.isNaN(from.getTime())) problems.push('from: must be an ISO instant');
  if (Number.isNaN(to.getTime())) problems.push('to: must be an ISO instant');
  if (problems.length === 0 && from >= to) problems.push('from: must be before to');
  const checked = validateRule(data.definition);
  if (!checked.ok) problems.push(...checked.errors.map((e) => `definition.${e.path}: ${e.message}`));
  if (problems.length > 0 || !checked.ok) throw new UnrecoverableError(`the backtest cannot run: ${problems.join('; ')}`);
  return { draft: checked.rule, range: { from, to } };
}
