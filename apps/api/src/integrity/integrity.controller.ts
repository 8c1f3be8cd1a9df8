import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { IntegrityAlarmRepository } from '@qadaga/db';
import { Roles } from '../auth/roles.decorator.js';
import { parseOr422 } from '../http/parse.js';

const AlarmsQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(1_000).optional(),
});

/** Integrity alarms: checkpoints the signer refused because the chains no longer extend the last one. */
@ApiTags('integrity')
@ApiBearerAuth()
@Controller('v1/integrity')
export class IntegrityController {
  constructor(@Inject(IntegrityAlarmRepository) private readonly alarms: IntegrityAlarmRepository) {}

  @Get('alarms')
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: 'Integrity alarms, newest first: each refused checkpoint with the chain, position, signed and found hash of every failure (auditor, admin)' })
  async list(@Query() query: Record<string, string>) {
    const q = parseOr422(AlarmsQuery, query, 'query');
    return { items: await this.alarms.since(new Date(q.from ?? 0), q.limit ?? 100) };
  }
}
