import { Controller, HttpStatus, Inject, Param } from '@nestjs/common';
import { violationEndpoints as api, type PlateStatement } from '@qadaga/contracts/api';
import { AccessLogRepository } from '@qadaga/db';
import { LedgerReader } from '@qadaga/ledger';
import { CurrentPrincipal } from '../auth/current-principal.js';
import type { Principal } from '../auth/principal.js';
import { apiError } from '../http/api-error.js';
import { RecusalCheck, refuseRecused } from '../auth/recusal.js';
import { Endpoint } from '../http/endpoint.decorator.js';

/** Reads that show plates and officers: each one is written to the access log before it is answered. */
@Controller()
export class ViolationsController {
  constructor(
    @Inject(LedgerReader) private readonly reader: LedgerReader,
    @Inject(AccessLogRepository) private readonly accessLog: AccessLogRepository,
    @Inject(RecusalCheck) private readonly recusal: RecusalCheck,
  ) {}

  @Endpoint(api.get)
  async violation(@Param('ref') ref: string, @CurrentPrincipal() principal: Principal) {
    await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'view_violation', subjectKind: 'violation', subjectId: ref });
    const found = await this.reader.violation(ref);
    if (found === null) throw apiError(HttpStatus.NOT_FOUND, `no violation ${ref}`, [{ path: 'ref', message: 'unknown violation reference' }]);
    // Whoever handled it, by the events' own words and by the roster: a violation the
    // reader's officer record or unit touched is theirs to explain, not to judge.
    const handlers = [
      ...found.violation.officerIds.map((id) => ({ id })),
      ...found.timeline.flatMap(({ event }) => (event.actor.kind === 'officer' || event.actor.kind === 'supervisor' ? [{ id: event.actor.id, unit: event.actor.unit ?? null }] : [])),
    ];
    if ((await this.recusal.recusedOfficers(principal, handlers)).size > 0) throw refuseRecused('this violation');
    return found;
  }

  @Endpoint(api.plate)
  async plate(@Param('plate') plate: string, @CurrentPrincipal() principal: Principal): Promise<PlateStatement> {
    if (plate.trim().length === 0 || plate.length > 20) {
      throw apiError(HttpStatus.BAD_REQUEST, 'invalid plate', [{ path: 'plate', message: 'must be 1-20 characters' }]);
    }
    await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'view_plate', subjectKind: 'plate', subjectId: plate });
    const statement = await this.reader.plate(plate);
    // What the car owes stands; the violations the reader's officer record or unit handled are withheld.
    const recused = await this.recusal.recusedOfficers(principal, statement.violations.flatMap((v) => v.officerIds.map((id) => ({ id }))));
    if (recused.size === 0) return { ...statement, withheldForRecusal: 0 };
    const violations = statement.violations.filter((v) => !v.officerIds.some((id) => recused.has(id)));
    return { ...statement, violations, withheldForRecusal: statement.violations.length - violations.length };
  }
}
