import { Controller, HttpStatus, Inject, Param } from '@nestjs/common';
import { BundleRepository, CaseRepository } from '@qadaga/db';
import type { Queue } from 'bullmq';
import { canonicalUuid } from '@qadaga/contracts';
import { QUEUE_KEYS, jobEndpoints as api, type JobList, type ParsedQueryOf } from '@qadaga/contracts/api';
import { CurrentPrincipal } from '../auth/current-principal.js';
import type { Principal } from '../auth/principal.js';
import { recusalOf } from '../auth/recusal.js';
import { bundleConcernsRecused } from '../evidence/bundle-recusal.js';
import { apiError } from '../http/api-error.js';
import { Endpoint, Input } from '../http/endpoint.decorator.js';
import { ALL_QUEUES, jobView, type JobState, type JobView, type QueueKey } from './job-view.js';

/** The worker's jobs as operators see them: what failed and why, what runs, what waits; and a retry. */
@Controller()
export class JobsController {
  constructor(
    @Inject(ALL_QUEUES) private readonly queues: Map<QueueKey, Queue>,
    @Inject(BundleRepository) private readonly bundles: BundleRepository,
    @Inject(CaseRepository) private readonly cases: CaseRepository,
  ) {}

  @Endpoint(api.list)
  async list(@Input('query') q: ParsedQueryOf<typeof api.list>, @CurrentPrincipal() principal: Principal): Promise<JobList> {
    const keys = q.queue === undefined ? QUEUE_KEYS : [q.queue];
    const perQueue = await Promise.all(
      keys.map(async (key) => {
        const jobs = await this.queue(key).getJobs([q.state], 0, q.limit - 1, false);
        return jobs.filter((job) => job !== undefined).map((job) => jobView(job, key, q.state));
      }),
    );
    const jobs = perQueue.flat().sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, q.limit);
    return { state: q.state, queues: keys, jobs: await this.visibleTo(principal, jobs) };
  }

  @Endpoint(api.retry)
  async retry(@Param('queue') queueKey: string, @Param('id') id: string): Promise<JobView> {
    if (!(QUEUE_KEYS as string[]).includes(queueKey)) {
      throw apiError(HttpStatus.NOT_FOUND, `no queue ${queueKey}`, [{ path: 'queue', message: `must be one of ${QUEUE_KEYS.join(', ')}` }]);
    }
    const key = queueKey as QueueKey;
    const job = await this.queue(key).getJob(id);
    if (job === undefined) throw apiError(HttpStatus.NOT_FOUND, `no job ${id} on ${key}`, [{ path: 'id', message: 'unknown job (finished jobs are kept for a while only)' }]);
    const state = await job.getState();
    if (state !== 'failed') throw apiError(HttpStatus.CONFLICT, `job ${id} is ${state}`, [{ path: 'id', message: `only a failed job can be retried; this one is ${state}` }]);
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    const now = (await job.getState()) as JobState;
    return jobView(job, key, now);
  }

  /** A bundle's job names the bundle: it is listed only to those who may see the bundle. */
  private async visibleTo(principal: Principal, jobs: JobView[]): Promise<JobView[]> {
    const recusal = recusalOf(principal);
    if (!recusal.applies) return jobs;
    const bundleIdOf = (job: JobView) => {
      const id = (job.data as { bundleId?: unknown } | null)?.bundleId;
      return job.queue === 'evidence' && typeof id === 'string' ? canonicalUuid(id) : null;
    };
    const bundles = new Map((await this.bundles.getMany(jobs.flatMap((j) => bundleIdOf(j) ?? []))).map((b) => [b.id, b]));
    const hidden = new Set<string>();
    for (const bundle of bundles.values()) if (await bundleConcernsRecused(bundle, recusal, this.cases)) hidden.add(bundle.id);
    return jobs.filter((job) => {
      const id = bundleIdOf(job);
      return id === null || !hidden.has(id);
    });
  }

  private queue(key: QueueKey): Queue {
    const queue = this.queues.get(key);
    if (queue === undefined) throw new Error(`queue ${key} is not registered`);
    return queue;
  }
}
