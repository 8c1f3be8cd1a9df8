import { Controller, Inject } from '@nestjs/common';
import { referenceEndpoints as api, type ParsedBodyOf } from '@qadaga/contracts/api';
import { AccessLogRepository, ReferenceRepository } from '@qadaga/db';
import { CurrentPrincipal } from '../auth/current-principal.js';
import type { Principal } from '../auth/principal.js';
import { Endpoint, Input } from '../http/endpoint.decorator.js';

@Controller()
export class ReferenceController {
  constructor(
    @Inject(ReferenceRepository) private readonly reference: ReferenceRepository,
    @Inject(AccessLogRepository) private readonly accessLog: AccessLogRepository,
  ) {}

  @Endpoint(api.load)
  async load(@Input('body') data: ParsedBodyOf<typeof api.load>, @CurrentPrincipal() principal: Principal) {
    const counts = await this.reference.load(data);
    await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'load_reference', subjectKind: 'officer', subjectId: '*', details: counts });
    return counts;
  }
}
