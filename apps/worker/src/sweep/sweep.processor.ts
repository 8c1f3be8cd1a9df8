import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { hostname } from 'node:os';
import { Inject, Logger } from '@nestjs/common';
import { WaitingChildrenError, type Job, type Queue, type WorkerOptions } from 'bullmq';
import type pg from 'pg';
import type { AppConfig } from '@qadaga/config';
import { QUEUES, type JobPayloads } from '@qadaga/contracts';
import type { ReadSide, ReplicaCatchUp } from '@qadaga/db';
import { sweepInstant, type AsOfBasis, type EvaluationReport, type RuleRunner } from '@qadaga/detection';
import { PG_POOL, REPLICA_CATCH_UP, RULE_RUNNER } from '../core/tokens.js';

/** A sweep's result: what it judged, the instant it judged it as of (and why that one), and where its facts were read. */
export interface SweepResult extends EvaluationReport {
  asOf: string;
  asOfBasis: AsOfBasis;
  /** Rules whose facts were read on the replica, and on the primary. */
  factsRead: Record<ReadSide, number>;
}

/** One part's result: its rule's report, and where its facts were read. */
export interface SweepPartResult extends EvaluationReport {
  factsOn: ReadSide;
}

/** What a sweep job keeps in its own data once it has split itself, so a rerun splits it the same way. */
interface SweepParts {
  asOf: string;
  basis: AsOfBasis;
  ruleIds: string[];
  /** The primary's WAL position once the instant was fixed; absent without a replica. */
  position?: string;
  /** Every part was added (a rerun then only waits for them). */
  added?: true;
}

type SweepJobData = JobPayloads['sweep'] & { parts?: SweepParts };

/**
 * The sweep queue's worker options from the configuration: a part's lock is renewed while
 * its worker lives, and one whose worker died is run again by another after about
 * lockMs + stalledCheckMs. Applied to SweepProcessor in WorkerModule.forRoot.
 */
export function sweepWorkerOptions(config: Pick<AppConfig, 'sweep'>): Partial<WorkerOptions> {
  // The name is stored on every job this worker runs: which process ran each part.
  return { name: `${hostname()}:${process.pid}`, concurrency: 1, lockDuration: config.sweep.lockMs, stalledInterval: config.sweep.stalledCheckMs, maxStalledCount: 3 };
}

/**
 * A full re-evaluation of published rules over every subject, as of the instant given or
 * else the end of the ledger's history (an imported history is judged as it stood when it
 * ended; a live ledger, now).
 *
 * A sweep is split into one part per rule (`sweep-rule`, children of the sweep job in
 * BullMQ's sense), all judged as of the one instant the sweep fixed first, so every worker
 * process on the queue takes parts and a sweep ends sooner with more workers. The sweep
 * job then waits for its parts without holding a worker, and sums their reports. Every
 * step is idempotent: parts have ids made of the sweep's and the rule's, so a sweep that
 * is run again adds none twice, and flags are upserted, so a part run again (its worker
 * killed) ends with the same flags.
 *
 * With a replica (READ_DATABASE_URL) the facts are read there, flags still written on the
 * primary. The instant is fixed from the primary's history, so the sweep takes the
 * primary's WAL position right after fixing it and waits (REPLICA_CATCH_UP_MS at most) for
 * the replica to replay it: only then does the replica hold every event the instant was
 * fixed from. A replica that does not catch up in time, or cannot be read, leaves the
 * facts on the primary, said in the log: the flags are the same either way.
 */
// Its worker options (lock, stall check) are set from the configuration in WorkerModule.forRoot.
@Processor(QUEUES.sweep)
export class SweepProcessor extends WorkerHost {
  static readonly handles = ['sweep', 'sweep-rule'] as const;
  private readonly logger = new Logger('sweep');

  constructor(
    @Inject(RULE_RUNNER) private readonly runner: RuleRunner,
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(REPLICA_CATCH_UP) private readonly reads: ReplicaCatchUp,
    @InjectQueue(QUEUES.sweep) private readonly queue: Queue,
  ) {
    super();
  }

  async process(job: Job, token?: string): Promise<SweepResult | SweepPartResult> {
    if (job.name === 'sweep-rule') return this.sweepRule(job as Job<JobPayloads['sweep-rule']>);
    if (job.name !== 'sweep') throw new Error(`no handler for job ${job.name} on ${QUEUES.sweep}`);
    return this.sweep(job as Job<SweepJobData>, token);
  }

  private async sweep(job: Job<SweepJobData>, token: string | undefined): Promise<SweepResult> {
    const id = job.id;
    if (id === undefined || token === undefined) throw new Error('a sweep job needs its id and its lock token');
    let parts = job.data.parts;
    if (parts === undefined) {
      const { asOf, basis } = await sweepInstant(this.pool, job.data.asOf);
      // Taken after the instant is fixed: a replica that has replayed this position holds
      // every event the instant was fixed from, and every one committed before.
      const position = await this.reads.position();
      const { rules } = await this.runner.publishedRules(job.data.ruleIds === undefined ? {} : { ruleIds: job.data.ruleIds });
      parts = { asOf: asOf.toISOString(), basis, ruleIds: rules.map((r) => r.definition.id), ...(position === null ? {} : { position }) };
      // Kept before any part is added: a rerun adds the same parts, as of the same instant.
      await job.updateData({ ...job.data, parts });
    }
    if (parts.added !== true) {
      const asOf = parts.asOf;
      // Waited for once, here, for every part: the parts then find the replica caught up at
      // once, or are sent to the primary together with one line in the log.
      const factsAt = parts.position !== undefined && (await this.reads.at(parts.position, `sweep ${id} as of ${asOf}`)).on === 'replica' ? parts.position : undefined;
      await this.queue.addBulk(
        parts.ruleIds.map((ruleId) => ({
          name: 'sweep-rule',
          data: { sweepId: id, ruleId, asOf, ...(factsAt === undefined ? {} : { factsAt }) } satisfies JobPayloads['sweep-rule'],
          opts: { jobId: `${id}.${ruleId}`, parent: { id, queue: job.queueQualifiedName }, failParentOnFailure: true },
        })),
      );
      parts = { ...parts, added: true };
      await job.updateData({ ...job.data, parts });
    }
    if (await job.moveToWaitingChildren(token)) throw new WaitingChildrenError();

    const total: EvaluationReport = { rules: 0, subjects: 0, fired: 0, raised: 0, refreshed: 0, invalid: [] };
    const factsRead: Record<ReadSide, number> = { replica: 0, primary: 0 };
    for (const report of Object.values(await job.getChildrenValues<SweepPartResult>())) {
      factsRead[report.factsOn ?? 'primary'] += report.rules;
      total.rules += report.rules;
      total.subjects += report.subjects;
      total.fired += report.fired;
      total.raised += report.raised;
      total.refreshed += report.refreshed;
      total.invalid.push(...report.invalid);
    }
    this.logger.log(
      `sweep as of ${parts.asOf} (${parts.basis}): ${total.rules} rules, ${total.fired} fired, ${total.raised} new flags; facts read on the replica for ${factsRead.replica} rules, on the primary for ${factsRead.primary}`,
    );
    return { ...total, asOf: parts.asOf, asOfBasis: parts.basis, factsRead };
  }

  private async sweepRule(job: Job<JobPayloads['sweep-rule']>): Promise<SweepPartResult> {
    const { sweepId, ruleId, asOf, factsAt } = job.data;
    const reads = await this.reads.at(factsAt ?? null, `sweep ${sweepId}, rule ${ruleId}`);
    const report = await this.runner.evaluate({ asOf: new Date(asOf), ruleIds: [ruleId], factsFrom: reads.pool });
    return { ...report, factsOn: reads.on };
  }
}
