import { Controller, HttpStatus, Inject, Param } from '@nestjs/common';
import type { AppConfig } from '@qadaga/config';
import { placeEndpoints as api, type ParsedQueryOf } from '@qadaga/contracts/api';
import { AccessLogRepository, OfficerProfileRepository, OfficerUnits, PlacesRepository } from '@qadaga/db';
import { CurrentPrincipal } from '../auth/current-principal.js';
import type { Principal } from '../auth/principal.js';
import { recusalOf, recusedSubjects } from '../auth/recusal.js';
import { APP_CONFIG } from '../core/tokens.js';
import { apiError } from '../http/api-error.js';
import { Endpoint, Input } from '../http/endpoint.decorator.js';
import { resolvePeriod } from '../profiles/period-query.js';

const ACTOR_PERIOD = { defaultDays: 365, maxDays: 3 * 366 };

function checkId(value: string, name: string): void {
  if (value.trim().length === 0 || value.length > 128) throw apiError(HttpStatus.BAD_REQUEST, `invalid ${name}`, [{ path: name, message: 'must be 1-128 characters' }]);
}

/**
 * Where things happen. The city's places are counts alone (no plate, no officer), so
 * nothing personal is read and nothing is recorded; their open flags leave out the flags
 * the reader is recused from, as the queue they open does (which records its reads). An
 * officer's or a unit's places are their work, so each read is recorded first, and refused
 * to the officer and their own unit as their profile is.
 */
@Controller()
export class PlacesController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PlacesRepository) private readonly places: PlacesRepository,
    @Inject(OfficerProfileRepository) private readonly officers: OfficerProfileRepository,
    @Inject(AccessLogRepository) private readonly accessLog: AccessLogRepository,
    @Inject(OfficerUnits) private readonly units: OfficerUnits,
  ) {}

  @Endpoint(api.list)
  async list(@Input('query') q: ParsedQueryOf<typeof api.list>, @CurrentPrincipal() principal: Principal) {
    const period = resolvePeriod(q, this.config.timeZone, { defaultDays: 30, maxDays: 366 });
    return this.places.view(period, q.district ?? null, { excludeSubjects: recusedSubjects(principal) });
  }

  @Endpoint(api.officerPlaces)
  async officer(@Param('id') id: string, @Input('query') q: ParsedQueryOf<typeof api.officerPlaces>, @CurrentPrincipal() principal: Principal) {
    checkId(id, 'id');
    const period = resolvePeriod(q, this.config.timeZone, ACTOR_PERIOD);
    const officer = await this.officers.identify(id);
    if (officer === null) throw apiError(HttpStatus.NOT_FOUND, `no officer ${id}`, [{ path: 'id', message: 'neither the roster nor the ledger knows this officer' }]);
    if (recusalOf(principal).coversOfficer(officer.id, officer.unit)) {
      const reason = principal.officerId === officer.id ? 'you cannot view your own places (recusal)' : 'you cannot view the places of your own unit (recusal)';
      await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'refused_officer_places', subjectKind: 'officer', subjectId: id, reason: 'recusal' });
      throw apiError(HttpStatus.FORBIDDEN, reason, [{ path: 'id', message: reason }]);
    }
    await this.accessLog.record({
      principal: principal.id, roles: principal.roles, action: 'view_officer_places', subjectKind: 'officer', subjectId: id,
      details: { from: period.from.toISOString(), to: period.to.toISOString() },
    });
    return this.places.actorPlaces({ kind: 'officer', id }, period);
  }

  @Endpoint(api.unitPlaces)
  async unit(@Param('id') id: string, @Input('query') q: ParsedQueryOf<typeof api.unitPlaces>, @CurrentPrincipal() principal: Principal) {
    checkId(id, 'id');
    const period = resolvePeriod(q, this.config.timeZone, ACTOR_PERIOD);
    if (!(await this.places.unitKnown(id))) throw apiError(HttpStatus.NOT_FOUND, `no unit ${id}`, [{ path: 'id', message: 'neither the roster nor the ledger knows this unit' }]);
    // A person linked to an officer only is recused from that officer's unit as the roster has it.
    const officerId = principal.officerId ?? null;
    const rosterUnit = officerId === null ? null : ((await this.units.of([officerId])).get(officerId) ?? null);
    if (recusalOf(principal).coversUnit(id) || rosterUnit === id) {
      const reason = 'you cannot view the places of your own unit (recusal)';
      await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'refused_unit_places', subjectKind: 'unit', subjectId: id, reason: 'recusal' });
      throw apiError(HttpStatus.FORBIDDEN, reason, [{ path: 'id', message: reason }]);
    }
    await this.accessLog.record({
      principal: principal.id, roles: principal.roles, action: 'view_unit_places', subjectKind: 'unit', subjectId: id,
      details: { from: period.from.toISOString(), to: period.to.toISOString() },
    });
    return this.places.actorPlaces({ kind: 'unit', id }, period);
  }
}
