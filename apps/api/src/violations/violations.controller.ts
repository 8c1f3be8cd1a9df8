import { Controller, Get, HttpStatus, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessLogRepository, LedgerReader } from '@qadaga/db';
import { Roles } from '../auth/roles.decorator.js';
import { CurrentPrincipal } from '../auth/current-principal.js';
import type { Principal } from '../auth/principal.js';
import { apiError } from '../http/api-error.js';

/** Reads that show plates and officers: each one is written to the access log before it is answered. */
@ApiTags('violations')
@ApiBearerAuth()
@Controller('v1')
export class ViolationsController {
  constructor(
    @Inject(LedgerReader) private readonly reader: LedgerReader,
    @Inject(AccessLogRepository) private readonly accessLog: AccessLogRepository,
  ) {}

  @Get('violations/:ref')
  @Roles('prosecutor', 'auditor', 'admin')
  @ApiOperation({ summary: 'A violation: its current state, derived in occurred-at order, and its full timeline with ledger hashes' })
  async violation(@Param('ref') ref: string, @CurrentPrincipal() principal: Principal) {
    await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'view_violation', subjectKind: 'violation', subjectId: ref });
    const found = await this.reader.violation(ref);
    if (found === null) throw apiError(HttpStatus.NOT_FOUND, `no violation ${ref}`, [{ path: 'ref', message: 'unknown violation reference' }]);
    return found;
  }

  @Get('plates/:plate/violations')
  @Roles('prosecutor', 'auditor', 'admin')
  @ApiOperation({
    summary: "All violations of a plate, however it was typed (look-alike Cyrillic letters, spaces), and what is owed now: the register's one answer",
  })
  async plate(@Param('plate') plate: string, @CurrentPrincipal() principal: Principal) {
    if (plate.trim().length === 0 || plate.length > 20) {
      throw apiError(HttpStatus.BAD_REQUEST, 'invalid plate', [{ path: 'plate', message: 'must be 1-20 characters' }]);
    }
    await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'view_plate', subjectKind: 'plate', subjectId: plate });
    return this.reader.plate(plate);
  }
}
