import { Controller, HttpStatus, Inject } from '@nestjs/common';
import { privacyEndpoints as api, type ParsedBodyOf, type RevealedIdentity } from '@qadaga/contracts/api';
import { AccessLogRepository, PseudonymRepository } from '@qadaga/db';
import { CurrentPrincipal } from '../auth/current-principal.js';
import type { Principal } from '../auth/principal.js';
import { RecusalCheck } from '../auth/recusal.js';
import { apiError } from '../http/api-error.js';
import { Endpoint, Input } from '../http/endpoint.decorator.js';

@Controller()
export class PrivacyController {
  constructor(
    @Inject(PseudonymRepository) private readonly pseudonyms: PseudonymRepository,
    @Inject(AccessLogRepository) private readonly accessLog: AccessLogRepository,
    @Inject(RecusalCheck) private readonly recusal: RecusalCheck,
  ) {}

  @Endpoint(api.reveal)
  async reveal(@Input('body') b: ParsedBodyOf<typeof api.reveal>, @CurrentPrincipal() principal: Principal): Promise<RevealedIdentity> {
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
