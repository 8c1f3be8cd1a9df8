import { Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessLogRepository } from '@qadaga/db';
import { LedgerReader, LedgerVerifier } from '@qadaga/ledger';
import { Roles } from '../auth/roles.decorator.js';
import { CurrentPrincipal } from '../auth/current-principal.js';
import type { Principal } from '../auth/principal.js';
import { CheckpointTrust } from '../integrity/checkpoint-trust.js';

@ApiTags('ledger')
@ApiBearerAuth()
@Controller('v1/ledger')
export class LedgerController {
  constructor(
    @Inject(LedgerReader) private readonly reader: LedgerReader,
    @Inject(LedgerVerifier) private readonly verifier: LedgerVerifier,
    @Inject(AccessLogRepository) private readonly accessLog: AccessLogRepository,
    @Inject(CheckpointTrust) private readonly trust: CheckpointTrust,
  ) {}

  @Get('stats')
  @Roles('prosecutor', 'rule_author', 'auditor', 'admin')
  @ApiOperation({ summary: 'Counts of violations and of events by type and source; no personal data' })
  stats() {
    return this.reader.stats();
  }

  @Post('verify')
  @HttpCode(200)
  @Roles('auditor', 'admin')
  @ApiOperation({
    summary:
      'Recompute every hash chain from the rows, hold them to every stored signed checkpoint, and name any edited, deleted or inserted row and any signed position that no longer holds its hash (auditor, admin)',
  })
  async verify(@CurrentPrincipal() principal: Principal) {
    await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'verify_ledger', subjectKind: 'ledger', subjectId: '*' });
    const report = await this.verifier.verify({ checkpoints: { signature: this.trust.signature } });
    return { ...report, checkpoints: { ...report.checkpoints, trust: this.trust.trust } };
  }
}
