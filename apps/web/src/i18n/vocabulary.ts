import type { TFunction } from 'i18next';
import type { ActorKind, EventType, OfficerRole, SchemeId, ViolationStatus } from '@qadaga/domain';

/**
 * The translation keys of the domain's closed vocabularies: rule schemes, lifecycle steps,
 * kinds of actor, violation statuses, and the facts rules compare. Written out (not built
 * from the value) so the translations spec sees every key used.
 */

export const SCHEME_KEYS: Record<SchemeId, string> = {
  protected_plate: 'scheme.protected_plate',
  officer_favours_vehicle: 'scheme.officer_favours_vehicle',
  officer_outlier_rate: 'scheme.officer_outlier_rate',
  cancellation_without_ground: 'scheme.cancellation_without_ground',
  plate_edited_after_review: 'scheme.plate_edited_after_review',
  speed_downgrade: 'scheme.speed_downgrade',
  sitting_until_expiry: 'scheme.sitting_until_expiry',
  cancel_near_deadline: 'scheme.cancel_near_deadline',
  mass_cancellation: 'scheme.mass_cancellation',
  backdated_cancellation: 'scheme.backdated_cancellation',
  off_shift_action: 'scheme.off_shift_action',
  rubber_stamping: 'scheme.rubber_stamping',
  emergency_exemption_abuse: 'scheme.emergency_exemption_abuse',
  paid_without_treasury: 'scheme.paid_without_treasury',
  sources_disagree: 'scheme.sources_disagree',
  unreviewed_detection: 'scheme.unreviewed_detection',
  confirmed_without_notice: 'scheme.confirmed_without_notice',
  notice_not_delivered: 'scheme.notice_not_delivered',
  source_id_gap: 'scheme.source_id_gap',
};

export const EVENT_TYPE_KEYS: Record<EventType, string> = {
  detected: 'eventType.detected',
  review_assigned: 'eventType.review_assigned',
  confirmed: 'eventType.confirmed',
  rejected: 'eventType.rejected',
  amended: 'eventType.amended',
  notice_issued: 'eventType.notice_issued',
  notice_delivered: 'eventType.notice_delivered',
  paid: 'eventType.paid',
  cancelled: 'eventType.cancelled',
  appealed: 'eventType.appealed',
  appeal_decided: 'eventType.appeal_decided',
  expired: 'eventType.expired',
  sent_to_enforcement: 'eventType.sent_to_enforcement',
};

export const ACTOR_KIND_KEYS: Record<ActorKind, string> = {
  camera: 'actorKind.camera',
  officer: 'actorKind.officer',
  supervisor: 'actorKind.supervisor',
  system: 'actorKind.system',
  owner: 'actorKind.owner',
  court: 'actorKind.court',
  treasury: 'actorKind.treasury',
};

export const VIOLATION_STATUS_KEYS: Record<ViolationStatus, string> = {
  detected: 'violationStatus.detected',
  in_review: 'violationStatus.in_review',
  confirmed: 'violationStatus.confirmed',
  rejected: 'violationStatus.rejected',
  notified: 'violationStatus.notified',
  delivered: 'violationStatus.delivered',
  appealed: 'violationStatus.appealed',
  paid: 'violationStatus.paid',
  cancelled: 'violationStatus.cancelled',
  expired: 'violationStatus.expired',
  in_enforcement: 'violationStatus.in_enforcement',
  unknown: 'violationStatus.unknown',
};

/** Facts a reader meets on a flag; a fact without a key is shown by its name in words. */
export const FACT_KEYS: Readonly<Record<string, string>> = {
  backdatedHours: 'fact.backdatedHours',
  hoursBeforeDeadline: 'fact.hoursBeforeDeadline',
  cancelledAfterEnforcement: 'fact.cancelledAfterEnforcement',
  cancelHasGround: 'fact.cancelHasGround',
  cancellerMayCancel: 'fact.cancellerMayCancel',
  daysConfirmedWithoutNotice: 'fact.daysConfirmedWithoutNotice',
  emergencyWithoutDispatch: 'fact.emergencyWithoutDispatch',
  peakRobustZ: 'fact.peakRobustZ',
  daysNoticeUndelivered: 'fact.daysNoticeUndelivered',
  offShiftShare: 'fact.offShiftShare',
  dismissalRobustZ: 'fact.dismissalRobustZ',
  dismissalShare: 'fact.dismissalShare',
  cancellationsOfPlate: 'fact.cancellationsOfPlate',
  adverseRobustZ: 'fact.adverseRobustZ',
  adverseShare: 'fact.adverseShare',
  adversePValue: 'fact.adversePValue',
  dismissalPValue: 'fact.dismissalPValue',
  favouritismPValue: 'fact.favouritismPValue',
  daysSinceRegisterPaid: 'fact.daysSinceRegisterPaid',
  amendedPlateRegistered: 'fact.amendedPlateRegistered',
  decisionsWhileAbsent: 'fact.decisionsWhileAbsent',
  workstationConflicts: 'fact.workstationConflicts',
  fastDecisionShare: 'fact.fastDecisionShare',
  expiredRobustZ: 'fact.expiredRobustZ',
  expiredShare: 'fact.expiredShare',
  missingIds: 'fact.missingIds',
  registerCancelled: 'fact.registerCancelled',
  enforcementAfterCancel: 'fact.enforcementAfterCancel',
  speedDowngradeRobustZ: 'fact.speedDowngradeRobustZ',
  speedDowngradeShare: 'fact.speedDowngradeShare',
  daysUnreviewed: 'fact.daysUnreviewed',
  decisions: 'fact.decisions',
  rejections: 'fact.rejections',
  cancellations: 'fact.cancellations',
  detections: 'fact.detections',
  fastDecisions: 'fact.fastDecisions',
  offShiftDecisions: 'fact.offShiftDecisions',
  assigned: 'fact.assigned',
  peerCount: 'fact.peerCount',
  unit: 'fact.unit',
  role: 'fact.role',
};

/** A fact's name in words when no translation names it: fastDecisionShare → "fast decision share". */
export function factInWords(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/gu, '$1 $2').toLowerCase();
}

/** Almaty's districts in each language; another city's districts are shown as its data names them. */
export const DISTRICT_KEYS: Readonly<Record<string, string>> = {
  Almaly: 'district.Almaly',
  Auezov: 'district.Auezov',
  Bostandyk: 'district.Bostandyk',
  Zhetysu: 'district.Zhetysu',
  Medeu: 'district.Medeu',
  Nauryzbay: 'district.Nauryzbay',
  Turksib: 'district.Turksib',
  Alatau: 'district.Alatau',
};

const lookup = (keys: Readonly<Record<string, string>>, value: string, t: TFunction) => {
  const key = Object.hasOwn(keys, value) ? keys[value] : undefined;
  return key === undefined ? value : t(key);
};

/** A lifecycle step in words (as the ledger names it when the vocabulary does not know it). */
export const eventTypeText = (type: string, t: TFunction) => lookup(EVENT_TYPE_KEYS, type, t);
export const violationStatusText = (status: string, t: TFunction) => lookup(VIOLATION_STATUS_KEYS, status, t);
export const districtText = (district: string, t: TFunction) => lookup(DISTRICT_KEYS, district, t);
/** A rule by the scheme it detects, in words; a rule of a scheme the vocabulary lacks by its id. */
export const ruleText = (scheme: string, ruleId: string, t: TFunction) => {
  const key = Object.hasOwn(SCHEME_KEYS, scheme) ? SCHEME_KEYS[scheme as SchemeId] : undefined;
  return key === undefined ? ruleId : t(key);
};

export const OFFICER_ROLE_KEYS: Record<OfficerRole, string> = {
  reviewer: 'officerRole.reviewer',
  supervisor: 'officerRole.supervisor',
  appeals_desk: 'officerRole.appeals_desk',
};
/** An officer's role in the roster, in words. */
export const officerRoleText = (role: string, t: TFunction) => lookup(OFFICER_ROLE_KEYS, role, t);
