import { binomialUpperTail, ewmaUpperControlLimit, hypergeometricUpperTail, robustZ } from '@qadaga/statistics';
import type { Subject } from '../evaluate.js';
import { officerFacts, type OfficerCounts } from './officer-peers.js';

/**
 * Each built-in rule against a small world built from DOMAIN.md: the pattern it is meant
 * to catch must fire, and the innocent look-alikes next to it (a fleet with many fines, an
 * appeals desk, a unit-wide staff shortage, a faulty camera voided lawfully, ...) must not.
 */

export interface Scenario {
  subjects: Subject[];
  fires: string[];
}

const CITY_RATE = 0.04;

function plate(id: string, detections: number, adverse: number, vehicleKind = 'private'): Subject {
  return {
    id,
    facts: {
      plateKey: id,
      vehicleKind,
      registered: true,
      detections,
      adverse,
      adverseShare: adverse / detections,
      cityAdverseRate: CITY_RATE,
      adversePValue: binomialUpperTail(adverse, detections, CITY_RATE),
      distinctOfficers: Math.min(adverse, 2),
      evidenceEventIds: [`${id}-detected`],
    },
  };
}

function officerPlate(officerId: string, plateKey: string, counts: { decisions: number; cancellations: number; plateDetections: number; ofPlate: number }): Subject {
  return {
    id: `${officerId}|${plateKey}`,
    facts: {
      officerId,
      plateKey,
      officerRole: 'reviewer',
      cancellationsOfPlate: counts.ofPlate,
      plateDetections: counts.plateDetections,
      officerCancellations: counts.cancellations,
      officerDecisions: counts.decisions,
      plateShareInOfficerQueue: counts.plateDetections / counts.decisions,
      favouritismPValue: hypergeometricUpperTail(counts.ofPlate, counts.decisions, counts.plateDetections, counts.cancellations),
      evidenceEventIds: [],
    },
  };
}

function violation(id: string, facts: Record<string, unknown>): Subject {
  return { id, facts: { violationRef: id, evidenceEventIds: [`${id}-e1`, `${id}-e2`], ...facts } };
}

/** A violation as the completeness facts describe it when nothing is missing. */
function source(id: string, facts: Record<string, unknown>): Subject {
  const missing = typeof facts['missingIds'] === 'number' ? facts['missingIds'] : 0;
  const numbered = typeof facts['numberedEvents'] === 'number' ? facts['numberedEvents'] : 0;
  return {
    id,
    facts: {
      source: id,
      sourceKind: 'register',
      missingIds: 0,
      gaps: 0,
      largestGap: 0,
      missingShare: missing === 0 ? 0 : missing / (missing + numbered),
      firstMissingIds: [],
      evidenceEventIds: [],
      ...facts,
    },
  };
}

/** A step's roll-up for one subject (rollup-facts.ts): how many fell due, how many missed it, which. */
interface Rollup {
  due: number;
  missed: number;
  oldestOn?: string;
}

function refsOf(id: string, missed: number): string[] {
  return Array.from({ length: Math.min(missed, 2_000) }, (_, i) => `V-${id}-${i + 1}`);
}

/** A unit with the completeness roll-ups of detections it should have reviewed and confirmations it made. */
function unitRollup(id: string, steps: { review?: Rollup; notice?: Rollup }): Subject {
  const review = steps.review ?? { due: 0, missed: 0 };
  const notice = steps.notice ?? { due: 0, missed: 0 };
  return {
    id,
    facts: {
      unit: id,
      windowFrom: '2025-03-12',
      reviewLimitDays: 30,
      detectionsDue: review.due,
      detectionsUnreviewed: review.missed,
      unreviewedShare: review.due === 0 ? 0 : review.missed / review.due,
      unreviewedRefs: refsOf(id, review.missed),
      unreviewedNotListed: Math.max(0, review.missed - 2_000),
      oldestUnreviewedOn: review.missed > 0 ? (review.oldestOn ?? '2025-11-03') : null,
      unreviewedEvidenceEventIds: [],
      noticeLimitDays: 10,
      confirmationsDue: notice.due,
      confirmationsWithoutNotice: notice.missed,
      withoutNoticeShare: notice.due === 0 ? 0 : notice.missed / notice.due,
      withoutNoticeRefs: refsOf(id, notice.missed),
      withoutNoticeNotListed: Math.max(0, notice.missed - 2_000),
      oldestWithoutNoticeOn: notice.missed > 0 ? (notice.oldestOn ?? '2025-12-20') : null,
      withoutNoticeEvidenceEventIds: [],
      evidenceEventIds: [],
    },
  };
}

/** A source with the completeness roll-ups of notices it issued and payments it reported. */
function sourceRollup(id: string, steps: { delivery?: Rollup; treasury?: Rollup }): Subject {
  const delivery = steps.delivery ?? { due: 0, missed: 0 };
  const treasury = steps.treasury ?? { due: 0, missed: 0 };
  return source(id, {
    windowFrom: '2025-03-12',
    deliveryLimitDays: 30,
    noticesDue: delivery.due,
    noticesUndelivered: delivery.missed,
    undeliveredShare: delivery.due === 0 ? 0 : delivery.missed / delivery.due,
    undeliveredRefs: refsOf(id, delivery.missed),
    undeliveredNotListed: Math.max(0, delivery.missed - 2_000),
    oldestUndeliveredOn: delivery.missed > 0 ? (delivery.oldestOn ?? '2025-10-02') : null,
    undeliveredEvidenceEventIds: [],
    treasuryLimitDays: 7,
    paymentsDue: treasury.due,
    paymentsUnmatched: treasury.missed,
    unmatchedShare: treasury.due === 0 ? 0 : treasury.missed / treasury.due,
    unmatchedRefs: refsOf(id, treasury.missed),
    unmatchedNotListed: Math.max(0, treasury.missed - 2_000),
    oldestUnmatchedOn: treasury.missed > 0 ? (treasury.oldestOn ?? '2026-01-15') : null,
    unmatchedEvidenceEventIds: [],
  });
}

function officer(id: string, facts: Record<string, unknown>): Subject {
  return { id, facts: { unit: 'U1', role: 'reviewer', decisions: 100, evidenceEventIds: [], ...facts } };
}

function unitDay(id: string, day: { peak: number; median: number; mad: number; cameras: number; acts: number; singleActShare: number }): Subject {
  return {
    id,
    facts: {
      unit: id,
      peakDay: '2026-03-11',
      peakDayCancellations: day.peak,
      dailyCancellationMedian: day.median,
      dailyCancellationMad: day.mad,
      peakRobustZ: robustZ(day.peak, day.median, day.mad),
      ewmaUpperLimit: ewmaUpperControlLimit({ mean: day.median, sigma: 1.4826 * day.mad, lambda: 0.2, width: 3 }),
      peakDayDistinctCameras: day.cameras,
      peakDayDistinctActs: day.acts,
      peakDaySingleActShare: day.singleActShare,
      evidenceEventIds: [],
    },
  };
}

const reviewers = (unit: string, count: number, counts: (index: number) => Partial<OfficerCounts>): OfficerCounts[] =>
  Array.from({ length: count }, (_, index) => ({ id: `${unit}-R${index}`, unit, role: 'reviewer', decisions: 200, adverseActions: 10, ...counts(index) }));

export const SCENARIOS: Record<string, Scenario> = {
  'protected-plate': {
    subjects: [
      ...Array.from({ length: 60 }, (_, index) => {
        const detections = 5 + ((index * 7) % 40);
        return plate(`P${index}`, detections, Math.floor(detections * CITY_RATE) + (index % 3));
      }),
      plate('PROTECTED', 40, 38),
      plate('FLEET', 400, 17, 'fleet'),
      plate('FEW', 3, 3),
    ],
    fires: ['PROTECTED'],
  },
  'officer-favours-vehicle': {
    subjects: [
      ...Array.from({ length: 50 }, (_, index) =>
        officerPlate(`O${index % 5}`, `PL${index}`, { decisions: 400, cancellations: 30, plateDetections: 1 + (index % 4), ofPlate: index % 3 }),
      ),
      officerPlate('O1', 'FAV', { decisions: 400, cancellations: 30, plateDetections: 6, ofPlate: 6 }),
      // The officer's queue is mostly this fleet: many cancellations of it are expected.
      officerPlate('O9', 'FLEETPLATE', { decisions: 20, cancellations: 10, plateDetections: 15, ofPlate: 8 }),
    ],
    fires: ['O1|FAV'],
  },
  'officer-outlier-rate': {
    subjects: officerFacts([
      ...reviewers('U1', 8, (index) => ({ adverseActions: 9 + (index % 4) })),
      { id: 'OUTLIER', unit: 'U1', role: 'reviewer', decisions: 200, adverseActions: 60 },
      // An appeals desk cancels most of what it sees; its peers are the other appeals officers.
      ...Array.from({ length: 5 }, (_, index) => ({ id: `AD${index}`, unit: 'U1', role: 'appeals_desk', decisions: 100, adverseActions: 60 + index * 3 })),
      { id: 'LONE', unit: 'U2', role: 'reviewer', decisions: 200, adverseActions: 90 },
      { id: 'LONE-PEER', unit: 'U2', role: 'reviewer', decisions: 200, adverseActions: 10 },
    ]),
    fires: ['OUTLIER'],
  },
  'officer-dismissal-share': {
    subjects: [
      ...Array.from({ length: 8 }, (_, i) =>
        officer(`P${i}`, { confirmed: 100, confirmedThenCancelled: 3 + (i % 3), dismissalShare: (3 + (i % 3)) / 100, peerCount: 8, peerDismissalMedian: 0.04, dismissalRobustZ: ((i % 3) - 1) * 0.67, dismissalPValue: 0.5 }),
      ),
      officer('DISMISSER', { confirmed: 120, confirmedThenCancelled: 48, dismissalShare: 0.4, peerCount: 8, peerDismissalMedian: 0.04, dismissalRobustZ: 24.3, dismissalPValue: 1e-25 }),
      // Too little work to judge, however striking the share.
      officer('NEWCOMER', { confirmed: 6, confirmedThenCancelled: 4, dismissalShare: 0.67, peerCount: 8, peerDismissalMedian: 0.04, dismissalRobustZ: 42, dismissalPValue: 1e-4 }),
    ],
    fires: ['DISMISSER'],
  },
  'speed-downgrade': {
    subjects: officerFacts([
      ...reviewers('U1', 8, (index) => ({ speedEdits: 20, speedEditsDownBelowBand: 1 + (index % 3) })),
      { id: 'DOWNGRADER', unit: 'U1', role: 'reviewer', decisions: 200, adverseActions: 10, speedEdits: 20, speedEditsDownBelowBand: 15 },
      { id: 'FEW-EDITS', unit: 'U1', role: 'reviewer', decisions: 200, adverseActions: 10, speedEdits: 3, speedEditsDownBelowBand: 3 },
    ]),
    fires: ['DOWNGRADER'],
  },
  'sitting-until-expiry': {
    subjects: officerFacts([
      ...reviewers('U1', 8, (index) => ({ assigned: 100, expiredAssigned: 2 + (index % 3) })),
      { id: 'SITTER', unit: 'U1', role: 'reviewer', decisions: 200, adverseActions: 10, assigned: 100, expiredAssigned: 40 },
      // A week of staff shortage: the whole unit lets detections expire.
      ...reviewers('U2', 8, (index) => ({ assigned: 100, expiredAssigned: 30 + (index % 5) })),
    ]),
    fires: ['SITTER'],
  },
  'cancellation-without-ground': {
    subjects: [
      violation('V-NO-GROUND', { cancelled: true, cancelHasGround: false, cancellerMayCancel: true, cancelReasonCode: 'other' }),
      violation('V-WRONG-ROLE', { cancelled: true, cancelHasGround: true, cancellerMayCancel: false, cancellerRole: 'reviewer' }),
      violation('V-PROPER', { cancelled: true, cancelHasGround: true, cancellerMayCancel: true, cancelReasonCode: 'appeal_upheld' }),
      violation('V-ACTIVE', { cancelled: false, cancelHasGround: null, cancellerMayCancel: null }),
    ],
    fires: ['V-NO-GROUND', 'V-WRONG-ROLE'],
  },
  'plate-edited-after-review': {
    subjects: [
      violation('V-GHOST-PLATE', { plateAmendedAfterReview: true, amendedPlateRegistered: false, noticeDelivered: false }),
      // A genuine fix whose notice simply has not arrived yet.
      violation('V-UNDELIVERED', { plateAmendedAfterReview: true, amendedPlateRegistered: true, noticeDelivered: false }),
      violation('V-GENUINE-FIX', { plateAmendedAfterReview: true, amendedPlateRegistered: true, noticeDelivered: true }),
      violation('V-UNTOUCHED', { plateAmendedAfterReview: false, amendedPlateRegistered: null, noticeDelivered: false }),
    ],
    fires: ['V-GHOST-PLATE'],
  },
  'cancel-near-deadline': {
    subjects: [
      violation('V-LAST-MINUTE', { cancelled: true, appealed: false, hoursBeforeDeadline: 10, cancelledAfterEnforcement: false }),
      violation('V-AFTER-ENFORCEMENT', { cancelled: true, appealed: false, hoursBeforeDeadline: null, cancelledAfterEnforcement: true }),
      violation('V-APPEAL-DECIDED-LATE', { cancelled: true, appealed: true, hoursBeforeDeadline: 10, cancelledAfterEnforcement: false }),
      violation('V-EARLY', { cancelled: true, appealed: false, hoursBeforeDeadline: 300, cancelledAfterEnforcement: false }),
      violation('V-PAST-DEADLINE', { cancelled: true, appealed: false, hoursBeforeDeadline: -5, cancelledAfterEnforcement: false }),
    ],
    fires: ['V-LAST-MINUTE', 'V-AFTER-ENFORCEMENT'],
  },
  'mass-cancellation': {
    subjects: [
      unitDay('U-BURST', { peak: 80, median: 5, mad: 2, cameras: 14, acts: 6, singleActShare: 0.3 }),
      // A faulty camera voided lawfully: one act, one camera.
      unitDay('U-FAULTY-CAMERA', { peak: 120, median: 5, mad: 2, cameras: 1, acts: 1, singleActShare: 1 }),
      unitDay('U-CALM', { peak: 9, median: 5, mad: 2, cameras: 4, acts: 3, singleActShare: 0.5 }),
      unitDay('U-BIG-BUT-NORMAL', { peak: 60, median: 50, mad: 8, cameras: 30, acts: 9, singleActShare: 0.2 }),
    ],
    fires: ['U-BURST'],
  },
  'backdated-cancellation': {
    subjects: [
      violation('V-BACKDATED', { cancelled: true, backdatedHours: 72 }),
      violation('V-SAME-DAY', { cancelled: true, backdatedHours: 20 }),
      violation('V-NOT-CANCELLED', { cancelled: false, backdatedHours: 0 }),
    ],
    fires: ['V-BACKDATED'],
  },
  'off-shift-action': {
    subjects: [
      officer('OFF-SHIFT', { offShiftDecisions: 40, offShiftShare: 0.4, nightDecisions: 25 }),
      // Works nights by roster: night decisions are on shift.
      officer('NIGHT-ROSTER', { offShiftDecisions: 2, offShiftShare: 0.02, nightDecisions: 90 }),
      officer('ONE-LATE-EVENING', { decisions: 20, offShiftDecisions: 5, offShiftShare: 0.25, nightDecisions: 0 }),
    ],
    fires: ['OFF-SHIFT'],
  },
  'rubber-stamping': {
    subjects: [
      officer('DEAD-OFFICER', { decisionsWhileAbsent: 12, workstationConflicts: 0, fastDecisions: 0, fastDecisionShare: 0 }),
      officer('SHARED-LOGIN', { decisionsWhileAbsent: 0, workstationConflicts: 3, fastDecisions: 0, fastDecisionShare: 0 }),
      officer('STAMPER', { decisions: 300, timedDecisions: 300, decisionsWhileAbsent: 0, workstationConflicts: 0, fastDecisions: 200, fastDecisionShare: 200 / 300 }),
      officer('CAREFUL', { decisions: 300, timedDecisions: 300, decisionsWhileAbsent: 0, workstationConflicts: 0, fastDecisions: 10, fastDecisionShare: 10 / 300 }),
      officer('NEWCOMER', { decisions: 20, timedDecisions: 20, decisionsWhileAbsent: 0, workstationConflicts: 0, fastDecisions: 10, fastDecisionShare: 0.5 }),
    ],
    fires: ['DEAD-OFFICER', 'SHARED-LOGIN', 'STAMPER'],
  },
  'emergency-exemption-abuse': {
    subjects: [
      officer('EXEMPTS-FRIENDS', { emergencyRejections: 9, emergencyWithoutDispatch: 7 }),
      officer('REAL-EMERGENCIES', { emergencyRejections: 9, emergencyWithoutDispatch: 0 }),
      officer('ONE-MISSING-RECORD', { emergencyRejections: 4, emergencyWithoutDispatch: 1 }),
    ],
    fires: ['EXEMPTS-FRIENDS'],
  },
  // Completeness roll-ups: one subject per source or unit responsible for the missing step.
  'paid-without-treasury': {
    subjects: [
      sourceRollup('register', { treasury: { due: 4_210, missed: 8, oldestOn: '2026-01-15' } }),
      // Every payment reported matched, or still within the reconciliation delay.
      sourceRollup('register-2', { treasury: { due: 1_300, missed: 0 } }),
      sourceRollup('treasury', {}),
    ],
    fires: ['register'],
  },
  'sources-disagree': {
    subjects: [
      violation('V-SPLIT', { registerCancelled: true, reviewCancelled: false, enforcementAfterCancel: false }),
      violation('V-ENFORCED-AFTER-CANCEL', { registerCancelled: true, reviewCancelled: true, enforcementAfterCancel: true }),
      violation('V-AGREE', { registerCancelled: false, reviewCancelled: false, enforcementAfterCancel: false }),
      // The ordinary path: the review desk cancels, the register simply stops pursuing it.
      violation('V-DESK-CANCELLED', { registerCancelled: false, reviewCancelled: true, enforcementAfterCancel: false }),
    ],
    fires: ['V-SPLIT', 'V-ENFORCED-AFTER-CANCEL'],
  },
  // Completeness: what should have happened and did not. Days are 0 once the next step (or a recorded end) came.
  'unreviewed-detection': {
    subjects: [
      unitRollup('AP-1', { review: { due: 2_400, missed: 312, oldestOn: '2025-11-03' } }),
      // One detection past the limit is still an omission to answer for.
      unitRollup('AP-2', { review: { due: 2_100, missed: 1 } }),
      unitRollup('AP-3', { review: { due: 2_250, missed: 0 } }),
      // Omissions of another step are not this rule's.
      unitRollup('AP-4', { review: { due: 1_900, missed: 0 }, notice: { due: 1_500, missed: 8 } }),
    ],
    fires: ['AP-1', 'AP-2'],
  },
  'confirmed-without-notice': {
    subjects: [
      unitRollup('AP-1', { review: { due: 2_400, missed: 312 } }),
      unitRollup('AP-4', { review: { due: 1_900, missed: 0 }, notice: { due: 1_500, missed: 8, oldestOn: '2025-12-20' } }),
      unitRollup('AP-5', { notice: { due: 1_700, missed: 0 } }),
    ],
    fires: ['AP-4'],
  },
  'notice-not-delivered': {
    subjects: [
      sourceRollup('register', { delivery: { due: 2_230, missed: 312, oldestOn: '2025-10-02' } }),
      sourceRollup('register-2', { delivery: { due: 800, missed: 0 } }),
      // A source that issues no notices.
      sourceRollup('sergek-almaty', {}),
    ],
    fires: ['register'],
  },
  'source-id-gap': {
    subjects: [
      source('register', { numberedEvents: 41_200, idSequences: 9_800, missingIds: 3, gaps: 2, largestGap: 2, firstMissingIds: ['REG-V0001234-2', 'REG-V0001234-3', 'REG-V0004321-5'] }),
      source('review-desk', { numberedEvents: 30_100, idSequences: 9_800 }),
      // Ids ending in a timestamp: nearly every number between two events is "missing".
      source('legacy-feed', { numberedEvents: 900, idSequences: 1, missingIds: 2_591_100, gaps: 899, largestGap: 86_400, firstMissingIds: ['EVT-20260301000001'] }),
      source('camera', { numberedEvents: 0, idSequences: 0 }),
    ],
    fires: ['register'],
  },
};
