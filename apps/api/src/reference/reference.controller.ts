import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { referenceDataSchema } from '@qadaga/contracts';
import { AccessLogRepository, ReferenceRepository } from '@qadaga/db';
import { Roles } from '../auth/roles.decorator.js';
import { CurrentPrincipal } from '../auth/current-principal.js';
import type { Principal } from '../auth/principal.js';
import { parseOr422 } from '../http/parse.js';

@ApiTags('reference')
@ApiBearerAuth()
@Controller('v1/reference')
export class ReferenceController {
  constructor(
    @Inject(ReferenceRepository) private readonly reference: ReferenceRepository,
    @Inject(AccessLogRepository) private readonly accessLog: AccessLogRepository,
  ) {}

  @Post()
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary:
      'Load reference data the rules judge against: sources with their kind, the officer roster (units, roles, shifts, absences), the vehicle register, cameras and emergency dispatches. Upserted; loading the same export twice changes nothing.',
  })
  async load(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const data = parseOr422(referenceDataSchema, body);
    const counts = await this.reference.load(data);
    await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'load_reference', subjectKind: 'officer', subjectId: '*', details: counts });
    return counts;
  }
}
