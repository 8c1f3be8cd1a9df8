import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { JobsOptions } from 'bullmq';
import type { RuleDefinition } from '@qadaga/rules';

/**
 * The same draft over the same range is one job: asking again while it runs, or after it
 * finished, answers that job instead of starting another. The draft is hashed in its
 * canonical JSON form, so key order does not make two jobs of one draft.
 */
export function backtestJobId(draft: RuleDefinition, range: { from: Date; to: Date }): string {
  const form = canonicalize({ definition: draft, from: range.from.toISOString(), to: range.to.toISOString() }) ?? '';
  return `backtest-${createHash('sha256').update(form).digest('hex').slice(0, 40)}`;
}

/** A backtest only reads, so a failed attempt can simply run again; results are kept a day for their readers. */
export const BACKTEST_JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 24 * 3_600, count: 500 },
  removeOnFail: { age: 7 * 24 * 3_600 },
};
