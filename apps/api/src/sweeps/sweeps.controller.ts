import { InjectQueue } from '@nestjs/bullmq';
import { Controller, HttpStatus, Param } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { QUEUES, type JobPayloads } from '@qadaga/contracts';
import { sweepEndpoints as api, type ParsedBodyOf, type Sweep, type SweepReport, type SweepStarted } from '@qadaga/contracts/api';
import { CurrentPrincipal } from '../auth/current-principal.js';
import type { Principal } from '../auth/principal.js';
import { apiError } from '../http/api-error.js';
import { Endpoint, Input } from '../http/endpoint.decorator.js';

@Controller()
export class SweepsController {
  constructor(@InjectQueue(QUEUES.sweep) private readonly sweeps: Queue<JobPayloads['sweep'], SweepReport>) {}

  @Endpoint(api.start)
  async start(@Input('body') b: ParsedBodyOf<typeof api.start>, @CurrentPrincipal() principal: Principal): Promise<SweepStarted> {
    const job = await this.sweeps.add('sweep', { ...b, requestedBy: principal.id }, { attempts: 3, backoff: { type: 'exponential', delay: 5_000 } });
    return { id: job.id ?? '', state: await job.getState() };
  }

  @Endpoint(api.get)
  async get(@Param('id') id: string): Promise<Sweep> {
    const job = await this.sweeps.getJob(id);
    if (job === undefined) throw apiError(HttpStatus.NOT_FOUND, `no sweep ${id}`, [{ path: 'id', message: 'unknown sweep' }]);
    const state = await job.getState();
    return { id: job.id ?? id, state, progress: await sweepProgress(job, state), result: job.returnvalue ?? null, failedReason: job.failedReason ?? null, attempts: job.attemptsMade };
  }
}

/**
 * Percent of a sweep done: a sweep runs as one part per rule (children of its job, taken
 * by any worker), so while it waits for them, the share of its parts finished.
 */
async function sweepProgress(job: Job, state: string): Promise<number> {
  if (state === 'completed') return 100;
  if (state !== 'waiting-children') return typeof job.progress === 'number' ? job.progress : 0;
  const { processed = 0, unprocessed = 0 } = await job.getDependenciesCount({ processed: true, unprocessed: true });
  return processed + unprocessed === 0 ? 0 : Math.floor((processed / (processed + unprocessed)) * 100);
}
