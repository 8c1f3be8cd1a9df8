import { describe, expect, it } from 'vitest';
import { SCHEMES, SUBJECT_KINDS } from '@qadaga/domain';
import { FACT_CATALOGUE, FACT_TYPES, findFact, PARAMETERS_FACT, valueFitsFactType } from './catalogue.js';
import { FACT_JUDGEMENT } from './judgement.js';

// The names the fact computation in PostgreSQL produces; a rename on either side must fail here.
const AGREED_NAMES: Record<(typeof SUBJECT_KINDS)[number], string[]> = {
  officer: [
    'unit', 'role', 'decisions', 'rejections', 'cancellations', 'adverseActions', 'adverseShare', 'peerCount',
    'peerAdverseMedian', 'peerAdverseMad', 'adverseRobustZ', 'adversePValue', 'speedEdits', 'speedEditsDownBelowBand',
    'speedDowngradeShare', 'peerSpeedDowngradeMedian', 'speedDowngradeRobustZ', 'assigned', 'expiredAssigned',
    'expiredShare', 'unitExpiredShare', 'peerExpiredMedian', 'expiredRobustZ', 'offShiftDecisions', 'nightDecisions',
    'offShiftShare', 'fastDecisions', 'fastDecisionShare', 'decisionsWhileAbsent', 'workstationConflicts',
    'emergencyRejections', 'emergencyWithoutDispatch', 'evidenceEventIds',
    // What the sources' clocks could not support (source profiles).
    'timedDecisions', 'untimedDecisions', 'clockedDecisions', 'unclockedDecisions',
  ],
  vehicle: ['plateKey', 'vehicleKind', 'registered', 'detections', 'adverse', 'adverseShare', 'cityAdverseRate', 'adversePValue', 'distinctOfficers', 'evidenceEventIds'],
  officer_vehicle: [
    'officerId', 'plateKey', 'officerRole', 'cancellationsOfPlate', 'plateDetections', 'officerCancellations',
    'officerDecisions', 'plateShareInOfficerQueue', 'favouritismPValue', 'evidenceEventIds',
  ],
  camera: ['cameraId', 'unit', 'detections', 'cancellations', 'cancellationShare', 'distinctLegalBases', 'evidenceEventIds'],
  unit: [
    'unit', 'peakDay', 'peakDayCancellations', 'dailyCancellationMedian', 'dailyCancellationMad', 'peakRobustZ',
    'ewmaUpperLimit', 'peakDayDistinctCameras', 'peakDayDistinctActs', 'peakDaySingleActShare', 'evidenceEventIds',
    // Completeness roll-ups (rollup-facts.ts).
    'windowFrom', 'reviewLimitDays', 'detectionsDue', 'detectionsUnreviewed', 'unreviewedShare', 'unreviewedRefs', 'unreviewedNotListed',
    'oldestUnreviewedOn', 'unreviewedEvidenceEventIds', 'noticeLimitDays', 'confirmationsDue', 'confirmationsWithoutNotice',
    'withoutNoticeShare', 'withoutNoticeRefs', 'withoutNoticeNotListed', 'oldestWithoutNoticeOn', 'withoutNoticeEvidenceEventIds',
    'detectionsNotJudged', 'confirmationsNotJudged',
  ],
  violation: [
    'violationRef', 'status', 'district', 'cameraId', 'cancelled', 'cancelReasonCode', 'cancelHasGround', 'cancellerRole', 'cancellerMayCancel',
    'cancelledAfterNotice', 'appealed', 'hoursBeforeDeadline', 'cancelledAfterEnforcement', 'backdatedHours',
    'plateAmendedAfterReview', 'amendedPlateRegistered', 'noticeDelivered', 'registerPaid', 'treasuryPaid',
    'daysSinceRegisterPaid', 'registerCancelled', 'reviewCancelled', 'enforcementAfterCancel', 'daysUnreviewed',
    'daysConfirmedWithoutNotice', 'daysNoticeUndelivered', 'detectedOn', 'confirmedOn', 'noticeOn', 'evidenceEventIds',
  ],
  source: [
    'source', 'sourceKind', 'numberedEvents', 'idSequences', 'missingIds', 'gaps', 'largestGap', 'missingShare', 'firstMissingIds', 'evidenceEventIds',
    // Completeness roll-ups (rollup-facts.ts).
    'windowFrom', 'deliveryLimitDays', 'noticesDue', 'noticesUndelivered', 'undeliveredShare', 'undeliveredRefs', 'undeliveredNotListed',
    'oldestUndeliveredOn', 'undeliveredEvidenceEventIds', 'noticesNotJudged', 'paymentsNotJudged', 'treasuryLimitDays', 'paymentsDue', 'paymentsUnmatched', 'unmatchedShare',
    'unmatchedRefs', 'unmatchedNotListed', 'oldestUnmatchedOn', 'unmatchedEvidenceEventIds',
  ],
};

describe('FACT_CATALOGUE', () => {
  it.each(SUBJECT_KINDS)('declares the agreed facts of %s subjects, each once, with a type and a description', (kind) => {
    const names = FACT_CATALOGUE[kind].map((fact) => fact.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(AGREED_NAMES[kind]));
    for (const fact of FACT_CATALOGUE[kind]) {
      expect(FACT_TYPES).toContain(fact.type);
      expect(fact.description.length).toBeGreaterThan(10);
      expect(fact.name).not.toBe(PARAMETERS_FACT);
    }
    expect(findFact(kind, 'evidenceEventIds')?.type).toBe('string[]');
  });

  it('covers the subject kind of every scheme', () => {
    for (const scheme of Object.values(SCHEMES)) expect(FACT_CATALOGUE[scheme.subject].length).toBeGreaterThan(3);
  });

  it('checks runtime values against declared types, with null as "does not apply"', () => {
    expect(valueFitsFactType(3, 'number')).toBe(true);
    expect(valueFitsFactType(Number.NaN, 'number')).toBe(false);
    expect(valueFitsFactType('3', 'number')).toBe(false);
    expect(valueFitsFactType(null, 'boolean')).toBe(true);
    expect(valueFitsFactType(['a', 'b'], 'string[]')).toBe(true);
    expect(valueFitsFactType(['a', 1], 'string[]')).toBe(false);
  });

  it('names, for every fact only some sources can support, catalogued facts of the same kind counting what was and was not judged', () => {
    for (const [fact, judgement] of Object.entries(FACT_JUDGEMENT)) {
      const kind = SUBJECT_KINDS.find((k) => findFact(k, fact) !== undefined);
      expect(kind, fact).toBeDefined();
      for (const counter of [judgement.judged, judgement.notJudged]) if (counter !== null) expect(findFact(kind!, counter)?.type, counter).toBe('number');
    }
  });
});
