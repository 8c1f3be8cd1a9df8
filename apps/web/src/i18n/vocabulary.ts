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
  unit: 'fact.unit',
  role: 'fact.role',
  decisions: 'fact.decisions',
  rejections: 'fact.rejections',
  cancellations: 'fact.cancellations',
  adverseActions: 'fact.adverseActions',
  adverseShare: 'fact.adverseShare',
  confirmed: 'fact.confirmed',
  confirmedThenCancelled: 'fact.confirmedThenCancelled',
  dismissalShare: 'fact.dismissalShare',
  peerDismissalMedian: 'fact.peerDismissalMedian',
  peerDismissalRate: 'fact.peerDismissalRate',
  dismissalRobustZ: 'fact.dismissalRobustZ',
  dismissalPValue: 'fact.dismissalPValue',
  peerAdverseRate: 'fact.peerAdverseRate',
  peerCount: 'fact.peerCount',
  peerAdverseMedian: 'fact.peerAdverseMedian',
  peerAdverseMad: 'fact.peerAdverseMad',
  adverseRobustZ: 'fact.adverseRobustZ',
  adversePValue: 'fact.adversePValue',
  speedEdits: 'fact.speedEdits',
  speedEditsDownBelowBand: 'fact.speedEditsDownBelowBand',
  speedDowngradeShare: 'fact.speedDowngradeShare',
  peerSpeedDowngradeMedian: 'fact.peerSpeedDowngradeMedian',
  speedDowngradeRobustZ: 'fact.speedDowngradeRobustZ',
  assigned: 'fact.assigned',
  expiredAssigned: 'fact.expiredAssigned',
  expiredShare: 'fact.expiredShare',
  unitExpiredShare: 'fact.unitExpiredShare',
  expiredUnitRatio: 'fact.expiredUnitRatio',
  peerExpiredMedian: 'fact.peerExpiredMedian',
  expiredRobustZ: 'fact.expiredRobustZ',
  offShiftDecisions: 'fact.offShiftDecisions',
  nightDecisions: 'fact.nightDecisions',
  offShiftShare: 'fact.offShiftShare',
  fastDecisions: 'fact.fastDecisions',
  fastDecisionShare: 'fact.fastDecisionShare',
  decisionsWhileAbsent: 'fact.decisionsWhileAbsent',
  workstationConflicts: 'fact.workstationConflicts',
  emergencyRejections: 'fact.emergencyRejections',
  emergencyWithoutDispatch: 'fact.emergencyWithoutDispatch',
  evidenceEventIds: 'fact.evidenceEventIds',
  plateKey: 'fact.plateKey',
  vehicleKind: 'fact.vehicleKind',
  registered: 'fact.registered',
  detections: 'fact.detections',
  adverse: 'fact.adverse',
  cityAdverseRate: 'fact.cityAdverseRate',
  distinctOfficers: 'fact.distinctOfficers',
  officerId: 'fact.officerId',
  officerRole: 'fact.officerRole',
  cancellationsOfPlate: 'fact.cancellationsOfPlate',
  plateDetections: 'fact.plateDetections',
  officerCancellations: 'fact.officerCancellations',
  officerDecisions: 'fact.officerDecisions',
  plateShareInOfficerQueue: 'fact.plateShareInOfficerQueue',
  favouritismPValue: 'fact.favouritismPValue',
  cameraId: 'fact.cameraId',
  cancellationShare: 'fact.cancellationShare',
  distinctLegalBases: 'fact.distinctLegalBases',
  peakDay: 'fact.peakDay',
  peakDayCancellations: 'fact.peakDayCancellations',
  dailyCancellationMedian: 'fact.dailyCancellationMedian',
  dailyCancellationMad: 'fact.dailyCancellationMad',
  peakRobustZ: 'fact.peakRobustZ',
  ewmaUpperLimit: 'fact.ewmaUpperLimit',
  peakDayDistinctCameras: 'fact.peakDayDistinctCameras',
  peakDayDistinctActs: 'fact.peakDayDistinctActs',
  peakDaySingleActShare: 'fact.peakDaySingleActShare',
  windowFrom: 'fact.windowFrom',
  reviewLimitDays: 'fact.reviewLimitDays',
  detectionsDue: 'fact.detectionsDue',
  detectionsUnreviewed: 'fact.detectionsUnreviewed',
  unreviewedShare: 'fact.unreviewedShare',
  unreviewedRefs: 'fact.unreviewedRefs',
  unreviewedNotListed: 'fact.unreviewedNotListed',
  oldestUnreviewedOn: 'fact.oldestUnreviewedOn',
  unreviewedEvidenceEventIds: 'fact.unreviewedEvidenceEventIds',
  noticeLimitDays: 'fact.noticeLimitDays',
  confirmationsDue: 'fact.confirmationsDue',
  confirmationsWithoutNotice: 'fact.confirmationsWithoutNotice',
  withoutNoticeShare: 'fact.withoutNoticeShare',
  withoutNoticeRefs: 'fact.withoutNoticeRefs',
  withoutNoticeNotListed: 'fact.withoutNoticeNotListed',
  oldestWithoutNoticeOn: 'fact.oldestWithoutNoticeOn',
  withoutNoticeEvidenceEventIds: 'fact.withoutNoticeEvidenceEventIds',
  violationRef: 'fact.violationRef',
  status: 'fact.status',
  district: 'fact.district',
  cancelled: 'fact.cancelled',
  cancelReasonCode: 'fact.cancelReasonCode',
  cancelHasGround: 'fact.cancelHasGround',
  cancellerRole: 'fact.cancellerRole',
  cancellerMayCancel: 'fact.cancellerMayCancel',
  cancelledAfterNotice: 'fact.cancelledAfterNotice',
  appealed: 'fact.appealed',
  hoursBeforeDeadline: 'fact.hoursBeforeDeadline',
  cancelledAfterEnforcement: 'fact.cancelledAfterEnforcement',
  backdatedHours: 'fact.backdatedHours',
  plateAmendedAfterReview: 'fact.plateAmendedAfterReview',
  amendedPlateRegistered: 'fact.amendedPlateRegistered',
  noticeDelivered: 'fact.noticeDelivered',
  registerPaid: 'fact.registerPaid',
  treasuryPaid: 'fact.treasuryPaid',
  daysSinceRegisterPaid: 'fact.daysSinceRegisterPaid',
  registerCancelled: 'fact.registerCancelled',
  reviewCancelled: 'fact.reviewCancelled',
  enforcementAfterCancel: 'fact.enforcementAfterCancel',
  daysUnreviewed: 'fact.daysUnreviewed',
  daysConfirmedWithoutNotice: 'fact.daysConfirmedWithoutNotice',
  daysNoticeUndelivered: 'fact.daysNoticeUndelivered',
  detectedOn: 'fact.detectedOn',
  confirmedOn: 'fact.confirmedOn',
  noticeOn: 'fact.noticeOn',
  source: 'fact.source',
  sourceKind: 'fact.sourceKind',
  numberedEvents: 'fact.numberedEvents',
  idSequences: 'fact.idSequences',
  missingIds: 'fact.missingIds',
  gaps: 'fact.gaps',
  largestGap: 'fact.largestGap',
  missingShare: 'fact.missingShare',
  firstMissingIds: 'fact.firstMissingIds',
  deliveryLimitDays: 'fact.deliveryLimitDays',
  noticesDue: 'fact.noticesDue',
  noticesUndelivered: 'fact.noticesUndelivered',
  undeliveredShare: 'fact.undeliveredShare',
  undeliveredRefs: 'fact.undeliveredRefs',
  undeliveredNotListed: 'fact.undeliveredNotListed',
  oldestUndeliveredOn: 'fact.oldestUndeliveredOn',
  undeliveredEvidenceEventIds: 'fact.undeliveredEvidenceEventIds',
  treasuryLimitDays: 'fact.treasuryLimitDays',
  paymentsDue: 'fact.paymentsDue',
  paymentsUnmatched: 'fact.paymentsUnmatched',
  unmatchedShare: 'fact.unmatchedShare',
  unmatchedRefs: 'fact.unmatchedRefs',
  unmatchedNotListed: 'fact.unmatchedNotListed',
  oldestUnmatchedOn: 'fact.oldestUnmatchedOn',
  unmatchedEvidenceEventIds: 'fact.unmatchedEvidenceEventIds',
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
