import { InjectQueue } from '@nestjs/bullmq';
import { Body, Controller, Get, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Queue } from 'bullmq';
import { z } from 'zod';
import { QUEUES, type JobPayloads } from '@qadaga/contracts';
import { Roles } from '../auth/roles.decorator.js';
import { CurrentPrincipal } from '../auth/current-principal.js';
import type { Principal } from '../auth/principal.js';
import { apiError } from '../http/api-error.js';
import { parseOr422 } from '../http/parse.js';

const SweepBody = z.strictObject({
  ruleIds: z.array(z.string().min(1).max(100)).max(100).optional(),
  asOf: z.iso.datetime({ offset: true }).optional(),
});

@ApiTags('rules')
@ApiBearerAuth()
@Controller('v1/sweeps')
export class SweepsController {
  constructor(@InjectQueue(QUEUES.sweep) private readonly sweeps: Queue<JobPayloads['sweep']>) {}

  @Post()
  @Roles('rule_author', 'admin')
  @ApiOperation({ summary: 'Start a full re-evaluation of published rules now (a worker job); answers its id' })
  async start(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const b = parseOr422(SweepBody, body ?? {});
    const job = await this.sweeps.add('sweep', { ...b, requestedBy: principal.id }, { attempts: 3, backoff: { type: 'exponential', delay: 5_000 } });
    return { id: job.id, state: await job.getState() };
  }

  @Get(':id')
  @Roles('rule_author', 'admin')
  @ApiOperation({ summary: 'A sweep: state, progress (percent), result or failure reason' })
  async get(@Param('id') id: string) {
    const job = await this.sweeps.getJob(id);
    if (job === undefined) throw apiError(HttpStatus.NOT_FOUND, `no sweep ${id}`, [{ path: 'id', message: 'unknown sweep' }]);
    return { id: job.id, state: await job.getState(), progress: job.progress, result: job.returnvalue ?? null, failedReason: job.failedReason ?? null, attempts: job.attemptsMade };
  }
}
