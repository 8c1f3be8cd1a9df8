import { InjectQueue } from '@nestjs/bullmq';
import { Controller, HttpStatus, Param } from '@nestjs/common';
import type { Queue } from 'bullmq';
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
    return { id: job.id ?? id, state: await job.getState(), progress: typeof job.progress === 'number' ? job.progress : 0, result: job.returnvalue ?? null, failedReason: job.failedReason ?? null, attempts: job.attemptsMade };
  }
}
