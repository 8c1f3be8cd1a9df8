import { Body, Controller, HttpCode, HttpStatus, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AccessLogRepository, PseudonymRepository } from '@qadaga/db';
import { CurrentPrincipal } from '../auth/current-principal.js';
import type { Principal } from '../auth/principal.js';
import { RecusalCheck } from '../auth/recusal.js';
import { Roles } from '../auth/roles.decorator.js';
import { apiError } from '../http/api-error.js';
import { parseOr422 } from '../http/parse.js';

const RevealBody = z.strictObject({
  pseudonym: z.string().regex(/^(officer|plate|vehicle)~[0-9a-f]{10}$/u, 'a pseudonym such as officer~3f9a1c2b7d'),
  reason: z.string().trim().min(10, 'state why you need the identity (at least 10 characters)').max(2_000),
});

@ApiTags('privacy')
@ApiBearerAuth()
@Controller('v1')
export class PrivacyController {
  constructor(
    @Inject(PseudonymRepository) private readonly pseudonyms: PseudonymRepository,
    @Inject(AccessLogRepository) private readonly accessLog: AccessLogRepository,
    @Inject(RecusalCheck) private readonly recusal: RecusalCheck,
  ) {}

  @Post('reveal')
  @HttpCode(HttpStatus.OK)
  @Roles('rule_author', 'prosecutor', 'auditor', 'admin')
  @ApiOperation({ summary: 'Reveal the officer or plate behind a pseudonym; needs a stated reason, and is recorded (rule_author, prosecutor, auditor, admin)' })
  async reveal(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const b = parseOr422(RevealBody, body);
    const found = await this.pseudonyms.reveal(b.pseudonym);
    if (found === null) throw apiError(HttpStatus.NOT_FOUND, 'unknown pseudonym', [{ path: 'pseudonym', message: 'no identity has this pseudonym' }]);
    if (found.kind === 'officer' && (await this.recusal.recusedOfficers(principal, [{ id: found.value }])).size > 0) {
      throw apiError(HttpStatus.FORBIDDEN, 'you are recused from this officer', [{ path: 'pseudonym', message: 'names your own officer record or unit' }]);
    }
    // Written before the identity leaves the server: no record, no reveal.
    await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'reveal', subjectKind: found.kind === 'officer' ? 'officer' : 'plate', subjectId: found.value, reason: b.reason, details: { pseudonym: b.pseudonym } });
    return { kind: found.kind, pseudonym: b.pseudonym, value: found.value };
  }
}
