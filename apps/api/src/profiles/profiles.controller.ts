import { Controller, HttpStatus, Inject, Param } from '@nestjs/common';
import type { AppConfig } from '@qadaga/config';
import { profileEndpoints as api, type ParsedQueryOf, type VehicleProfile, type CameraProfile } from '@qadaga/contracts/api';
import { AccessLogRepository, CameraProfileRepository, OfficerProfileRepository, ReadRouting, VehicleProfileRepository } from '@qadaga/db';
import { CurrentPrincipal } from '../auth/current-principal.js';
import type { Principal } from '../auth/principal.js';
import { APP_CONFIG } from '../core/tokens.js';
import { apiError } from '../http/api-error.js';
import { Endpoint, Input } from '../http/endpoint.decorator.js';
import { resolvePeriod } from './period-query.js';
import { RecusalCheck, recusalOf } from '../auth/recusal.js';

const PERIOD_LIMITS = { defaultDays: 365, maxDays: 3 * 366 };

function checkId(value: string, name: string, max: number): void {
  if (value.trim().length === 0 || value.length > max) {
    throw apiError(HttpStatus.BAD_REQUEST, `invalid ${name}`, [{ path: name, message: `must be 1-${max} characters` }]);
  }
}

/** Why the principal may not see this officer's profile, or null when they may. */
function recusalReason(principal: Principal, officer: { id: string; unit: string | null }): string | null {
  const recusal = recusalOf(principal);
  if (!recusal.coversOfficer(officer.id, officer.unit)) return null;
  return principal.officerId === officer.id ? 'you cannot view your own profile (recusal)' : 'you cannot view profiles of your own unit (recusal)';
}

function withoutRecusedFlags<F extends { subjectId: string; unit: string | null }>(principal: Principal, flags: F[]): F[] {
  const recusal = recusalOf(principal);
  return recusal.applies ? flags.filter((f) => !recusal.coversSubject(f.subjectId, f.unit)) : flags;
}

/** Profiles of an officer, a vehicle and a camera. They name people and plates: every read is recorded first. */
@Controller()
export class ProfilesController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(AccessLogRepository) private readonly accessLog: AccessLogRepository,
    @Inject(OfficerProfileRepository) private readonly officers: OfficerProfileRepository,
    @Inject(VehicleProfileRepository) private readonly vehicles: VehicleProfileRepository,
    @Inject(CameraProfileRepository) private readonly cameras: CameraProfileRepository,
    @Inject(RecusalCheck) private readonly recusal: RecusalCheck,
    @Inject(ReadRouting) private readonly reads: ReadRouting,
  ) {}

  /** The profiles as this person may read them: from the replica unless it lags behind their own last write. */
  private async profilesFor(principal: Principal): Promise<{ officers: OfficerProfileRepository; vehicles: VehicleProfileRepository; cameras: CameraProfileRepository }> {
    if (!this.reads.hasReplica) return { officers: this.officers, vehicles: this.vehicles, cameras: this.cameras };
    const pool = await this.reads.poolFor(principal.id);
    return { officers: new OfficerProfileRepository(pool), vehicles: new VehicleProfileRepository(pool), cameras: new CameraProfileRepository(pool) };
  }

  @Endpoint(api.officer)
  async officer(@Param('id') id: string, @Input('query') q: ParsedQueryOf<typeof api.officer>, @CurrentPrincipal() principal: Principal) {
    checkId(id, 'id', 128);
    const period = resolvePeriod(q, this.config.timeZone, PERIOD_LIMITS);
    const { officers } = await this.profilesFor(principal);
    const officer = await officers.identify(id);
    if (officer === null) throw apiError(HttpStatus.NOT_FOUND, `no officer ${id}`, [{ path: 'id', message: 'neither the roster nor the ledger knows this officer' }]);
    const recused = recusalReason(principal, officer);
    if (recused !== null) {
      await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'refused_officer_profile', subjectKind: 'officer', subjectId: id, reason: 'recusal' });
      throw apiError(HttpStatus.FORBIDDEN, recused, [{ path: 'id', message: recused }]);
    }
    await this.accessLog.record({
      principal: principal.id, roles: principal.roles, action: 'view_officer_profile', subjectKind: 'officer', subjectId: id,
      details: { from: period.from.toISOString(), to: period.to.toISOString() },
    });
    return officers.profile(officer, period);
  }

  @Endpoint(api.vehicle)
  async vehicle(@Param('plate') plate: string, @CurrentPrincipal() principal: Principal): Promise<VehicleProfile> {
    // The contract refuses any query before this runs.
    checkId(plate, 'plate', 20);
    await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'view_vehicle_profile', subjectKind: 'plate', subjectId: plate });
    const profile = await (await this.profilesFor(principal)).vehicles.profile(plate, this.config.timeZone);
    if (profile === null) throw apiError(HttpStatus.NOT_FOUND, `no vehicle ${plate}`, [{ path: 'plate', message: 'neither the ledger nor the register knows this plate' }]);
    // The car is not the officer: its history is shown, less what the reader's own officer record or unit did.
    const recused = await this.recusal.recusedOfficers(principal, [
      ...profile.cancellations.map((c) => ({ id: c.officerId, unit: c.unit })),
      ...profile.officers.map((o) => ({ id: o.officerId, unit: o.unit })),
    ]);
    const cancellations = profile.cancellations.filter((c) => !recused.has(c.officerId));
    const officers = profile.officers.filter((o) => !recused.has(o.officerId));
    const flags = withoutRecusedFlags(principal, profile.flags);
    const withheld = profile.cancellations.length - cancellations.length + (profile.officers.length - officers.length) + (profile.flags.length - flags.length);
    return { ...profile, cancellations, officers, flags, withheldForRecusal: withheld };
  }

  @Endpoint(api.camera)
  async camera(@Param('id') id: string, @Input('query') q: ParsedQueryOf<typeof api.camera>, @CurrentPrincipal() principal: Principal): Promise<CameraProfile> {
    checkId(id, 'id', 64);
    const period = resolvePeriod(q, this.config.timeZone, PERIOD_LIMITS);
    // The answer names the officers who review this camera: recorded as a read of officers, like a flag list.
    await this.accessLog.record({
      principal: principal.id, roles: principal.roles, action: 'view_camera_profile', subjectKind: 'officer', subjectId: '*',
      details: { cameraId: id, from: period.from.toISOString(), to: period.to.toISOString() },
    });
    const profile = await (await this.profilesFor(principal)).cameras.profile(id, period);
    if (profile === null) throw apiError(HttpStatus.NOT_FOUND, `no camera ${id}`, [{ path: 'id', message: 'neither the register nor the ledger knows this camera' }]);
    const recused = await this.recusal.recusedOfficers(principal, profile.officers.map((o) => ({ id: o.officerId })));
    const officers = profile.officers.filter((o) => !recused.has(o.officerId));
    const flags = withoutRecusedFlags(principal, profile.flags);
    return { ...profile, officers, flags, withheldForRecusal: profile.officers.length - officers.length + (profile.flags.length - flags.length) };
  }
}
