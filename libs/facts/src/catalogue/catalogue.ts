import type { SubjectKind } from '@qadaga/domain';

/**
 * The facts a rule may test, per kind of subject. The platform computes them set-based in
 * PostgreSQL over the rule's window (one row per subject, never per raw event); this
 * catalogue only declares them, so that a rule is checked against it when it is saved
 * and a typo cannot silently make a condition always false.
 *
 * A value may be null where the fact does not apply (no deadline, no peers, absent from a
 * source). Shares are fractions in [0, 1]; p-values are one-sided upper tails.
 */

export const FACT_TYPES = ['number', 'boolean', 'string', 'string[]'] as const;
export type FactType = (typeof FACT_TYPES)[number];

export interface FactDefinition {
  name: string;
  type: FactType;
  description: string;
}

type Catalogue = Readonly<Record<SubjectKind, readonly FactDefinition[]>>;

const evidence: FactDefinition = {
  name: 'evidenceEventIds',
  type: 'string[]',
  description: 'The lifecycle events the other facts were computed from, as "source|eventId" (the ledger\u2019s unique key), for the flag\u2019s evidence and the bundle.',
};

/**
 * A completeness roll-up (rollup-facts.ts): of the violations whose step fell due in the
 * window, how many the subject left without it within the limit, which, and the events
 * that started their wait.
 */
function rollup(step: {
  prefix: string;
  limit: [string, string];
  due: [string, string];
  missed: [string, string];
  notJudged: [string, string];
  share: string;
  refs: string;
  notListed: string;
  oldest: string;
  evidence: string;
}): FactDefinition[] {
  return [
    { name: step.limit[0], type: 'number', description: step.limit[1] },
    { name: step.due[0], type: 'number', description: step.due[1] },
    { name: step.missed[0], type: 'number', description: step.missed[1] },
    { name: step.notJudged[0], type: 'number', description: `${step.notJudged[1]} Not counted in ${step.due[0]}: none of the sources of these violations ever reports the step, so its absence says nothing.` },
    { name: step.share, type: 'number', description: `${step.missed[0]} divided by ${step.due[0]}.` },
    { name: step.refs, type: 'string[]', description: `The violations counted in ${step.missed[0]}, oldest first, up to 2,000.` },
    { name: step.notListed, type: 'number', description: `Violations counted in ${step.missed[0]} beyond those listed in ${step.refs}.` },
    { name: step.oldest, type: 'string', description: `Local calendar day (YYYY-MM-DD) the oldest of them started to wait; null when none.` },
    {
      name: step.evidence,
      type: 'string[]',
      description: `For the 200 oldest of them, the events that started the wait, as "source|eventId" (each names its violation): the flag\u2019s evidence.`,
    },
  ];
}

function rollupFacts(kind: 'unit' | 'source'): FactDefinition[] {
  const windowFrom: FactDefinition = { name: 'windowFrom', type: 'string', description: 'Local calendar day (YYYY-MM-DD) the window starts on.' };
  if (kind === 'unit') {
    return [
      windowFrom,
      ...rollup({
        prefix: 'unreviewed',
        limit: ['reviewLimitDays', 'Days a detection may wait for a decision (30): past them and a full day more, its absence counts.'],
        due: ['detectionsDue', 'Detections in the window, assigned to the unit (or, never assigned, of a camera it reviews), whose review limit has passed.'],
        missed: ['detectionsUnreviewed', 'Of those, neither confirmed, rejected nor cancelled within the limit, late or never (an expiry is no decision).'],
        notJudged: ['detectionsNotJudged', 'Detections whose review limit has passed that were not judged.'],
        share: 'unreviewedShare',
        refs: 'unreviewedRefs',
        notListed: 'unreviewedNotListed',
        oldest: 'oldestUnreviewedOn',
        evidence: 'unreviewedEvidenceEventIds',
      }),
      ...rollup({
        prefix: 'withoutNotice',
        limit: ['noticeLimitDays', 'Days after a confirmation within which the notice must be issued (10).'],
        due: ['confirmationsDue', 'Confirmations in the window by officers of the unit whose notice limit has passed.'],
        missed: ['confirmationsWithoutNotice', 'Of those, with no notice issued, cancellation or expiry within the limit, late or never.'],
        notJudged: ['confirmationsNotJudged', 'Confirmations whose notice limit has passed that were not judged.'],
        share: 'withoutNoticeShare',
        refs: 'withoutNoticeRefs',
        notListed: 'withoutNoticeNotListed',
        oldest: 'oldestWithoutNoticeOn',
        evidence: 'withoutNoticeEvidenceEventIds',
      }),
    ];
  }
  return [
    windowFrom,
    ...rollup({
      prefix: 'undelivered',
      limit: ['deliveryLimitDays', 'Days after a notice within which its delivery must be recorded (30).'],
      due: ['noticesDue', 'Notices the source issued in the window whose delivery limit has passed.'],
      missed: ['noticesUndelivered', 'Of those, neither delivered, paid (payment proves receipt) nor cancelled within the limit, late or never.'],
      notJudged: ['noticesNotJudged', 'Notices whose delivery limit has passed that were not judged.'],
      share: 'undeliveredShare',
      refs: 'undeliveredRefs',
      notListed: 'undeliveredNotListed',
      oldest: 'oldestUndeliveredOn',
      evidence: 'undeliveredEvidenceEventIds',
    }),
    ...rollup({
      prefix: 'unmatched',
      limit: ['treasuryLimitDays', 'Days allowed for bank reconciliation after a register payment (7).'],
      due: ['paymentsDue', 'Payments the source (a register) reported in the window more than the limit ago.'],
      missed: ['paymentsUnmatched', 'Of those, with no treasury payment for the violation by the end of the window.'],
      notJudged: ['paymentsNotJudged', 'Register payments past the reconciliation delay that were not judged (no treasury source reports payments).'],
      share: 'unmatchedShare',
      refs: 'unmatchedRefs',
      notListed: 'unmatchedNotListed',
      oldest: 'oldestUnmatchedOn',
      evidence: 'unmatchedEvidenceEventIds',
    }),
  ];
}

const officer: FactDefinition[] = [
  { name: 'unit', type: 'string', description: 'Administrative unit of the officer; the peer group is this unit and role.' },
  { name: 'role', type: 'string', description: 'Role of the officer: reviewer, supervisor or appeals_desk.' },
  { name: 'decisions', type: 'number', description: 'Confirmations, rejections and cancellations the officer signed in the window.' },
  { name: 'rejections', type: 'number', description: 'Detections the officer rejected at review.' },
  { name: 'cancellations', type: 'number', description: 'Issued fines the officer cancelled.' },
  { name: 'adverseActions', type: 'number', description: 'Rejections plus cancellations: the actions that make a fine disappear.' },
  { name: 'adverseShare', type: 'number', description: 'adverseActions divided by decisions.' },
  { name: 'confirmed', type: 'number', description: 'Detections the officer confirmed in the window.' },
  { name: 'confirmedThenCancelled', type: 'number', description: 'Of those, how many were cancelled afterwards (by anyone).' },
  { name: 'dismissalShare', type: 'number', description: 'confirmedThenCancelled divided by confirmed.' },
  { name: 'peerDismissalMedian', type: 'number', description: 'Median dismissalShare of the peers who confirmed anything.' },
  { name: 'peerDismissalRate', type: 'number', description: 'Pooled dismissal rate of the peers.' },
  { name: 'dismissalRobustZ', type: 'number', description: 'Robust z of dismissalShare against the peers.' },
  { name: 'dismissalPValue', type: 'number', description: 'Binomial upper tail of confirmedThenCancelled under the peers\u2019 pooled rate.' },
  { name: 'peerAdverseRate', type: 'number', description: 'Pooled adverse rate of the peers.' },
  { name: 'peerCount', type: 'number', description: 'Other officers of the same unit and role with decisions in the window.' },
  { name: 'peerAdverseMedian', type: 'number', description: 'Median adverseShare of the peers.' },
  { name: 'peerAdverseMad', type: 'number', description: 'Raw median absolute deviation of the peers\u2019 adverseShare.' },
  { name: 'adverseRobustZ', type: 'number', description: 'Robust z of adverseShare against the peers: 0.6745 * (x - median) / MAD.' },
  { name: 'adversePValue', type: 'number', description: 'Binomial P(X >= adverseActions) over decisions at the peers\u2019 pooled adverse rate.' },
  { name: 'speedEdits', type: 'number', description: 'Amendments of the measured speed signed by the officer.' },
  { name: 'speedEditsDownBelowBand', type: 'number', description: 'Speed edits downward that land just under the edge of a fine band.' },
  { name: 'speedDowngradeShare', type: 'number', description: 'speedEditsDownBelowBand divided by speedEdits.' },
  { name: 'peerSpeedDowngradeMedian', type: 'number', description: 'Median speedDowngradeShare of the peers.' },
  { name: 'speedDowngradeRobustZ', type: 'number', description: 'Robust z of speedDowngradeShare against the peers.' },
  { name: 'assigned', type: 'number', description: 'Detections assigned to the officer for review.' },
  {
    name: 'expiredAssigned',
    type: 'number',
    description: 'Assigned detections that expired unreviewed, or waited unreviewed longer than the backlog limit (45 days by default).',
  },
  { name: 'expiredShare', type: 'number', description: 'expiredAssigned divided by assigned.' },
  { name: 'unitExpiredShare', type: 'number', description: 'The same share over the whole unit: its backlog.' },
  { name: 'expiredUnitRatio', type: 'number', description: 'expiredShare divided by unitExpiredShare: how far above its own unit\u2019s backlog the officer is.' },
  { name: 'peerExpiredMedian', type: 'number', description: 'Median expiredShare of the peers.' },
  { name: 'expiredRobustZ', type: 'number', description: 'Robust z of expiredShare against the peers.' },
  { name: 'offShiftDecisions', type: 'number', description: 'Decisions signed outside the officer\u2019s shift, judged in the configured local time zone; only decisions from sources that record the time of day.' },
  { name: 'nightDecisions', type: 'number', description: 'Decisions signed between 22:00 and 06:00 local time; only decisions from sources that record the time of day.' },
  { name: 'clockedDecisions', type: 'number', description: 'Confirmations, rejections and cancellations from sources that record the time of day: those judged for it.' },
  { name: 'unclockedDecisions', type: 'number', description: 'Confirmations, rejections and cancellations from sources whose times are dates alone: not judged for the time of day.' },
  { name: 'offShiftShare', type: 'number', description: 'offShiftDecisions divided by the decisions judged for the time of day (decisions and cancellations but unclockedDecisions).' },
  { name: 'fastDecisions', type: 'number', description: 'Decisions signed less than 2 seconds after the officer\u2019s previous decision, both timed to the second.' },
  { name: 'timedDecisions', type: 'number', description: 'Confirmations and rejections from sources that time events to the second: those judged for speed.' },
  { name: 'untimedDecisions', type: 'number', description: 'Confirmations and rejections from sources whose times are whole minutes or dates: not judged for speed.' },
  { name: 'fastDecisionShare', type: 'number', description: 'fastDecisions divided by timedDecisions.' },
  { name: 'decisionsWhileAbsent', type: 'number', description: 'Decisions signed while HR records the officer on leave, suspended, dismissed or deceased.' },
  { name: 'workstationConflicts', type: 'number', description: 'Pairs of decisions under the officer\u2019s signature from two workstations at once.' },
  { name: 'emergencyRejections', type: 'number', description: 'Rejections with the reason \u201cemergency vehicle\u201d.' },
  { name: 'emergencyWithoutDispatch', type: 'number', description: 'Emergency-vehicle rejections with no dispatch record for that plate at that time.' },
  evidence,
];

const vehicle: FactDefinition[] = [
  { name: 'plateKey', type: 'string', description: 'Normalised plate key (look-alike Cyrillic and Latin letters folded).' },
  { name: 'vehicleKind', type: 'string', description: 'Kind in the vehicle register: private, fleet, leasing or special; unregistered when absent.' },
  { name: 'registered', type: 'boolean', description: 'Whether the plate is in the vehicle register.' },
  { name: 'detections', type: 'number', description: 'Detections of the plate in the window.' },
  { name: 'adverse', type: 'number', description: 'Of those, detections rejected at review or cancelled after issuance.' },
  { name: 'adverseShare', type: 'number', description: 'adverse divided by detections.' },
  { name: 'cityAdverseRate', type: 'number', description: 'The same share over all plates of the city in the window.' },
  { name: 'adversePValue', type: 'number', description: 'Binomial P(X >= adverse) over detections at cityAdverseRate.' },
  { name: 'distinctOfficers', type: 'number', description: 'Distinct officers who rejected or cancelled the plate\u2019s fines.' },
  evidence,
];

const officerVehicle: FactDefinition[] = [
  { name: 'officerId', type: 'string', description: 'The officer.' },
  { name: 'plateKey', type: 'string', description: 'The normalised plate key.' },
  { name: 'officerRole', type: 'string', description: 'Role of the officer: reviewer, supervisor or appeals_desk.' },
  { name: 'cancellationsOfPlate', type: 'number', description: 'Fines of this plate the officer rejected or cancelled.' },
  { name: 'plateDetections', type: 'number', description: 'Detections of this plate that passed through the officer\u2019s queue.' },
  { name: 'officerCancellations', type: 'number', description: 'All rejections and cancellations by the officer.' },
  { name: 'officerDecisions', type: 'number', description: 'All decisions by the officer.' },
  { name: 'plateShareInOfficerQueue', type: 'number', description: 'plateDetections divided by officerDecisions.' },
  {
    name: 'favouritismPValue',
    type: 'number',
    description:
      'Hypergeometric P(X >= cancellationsOfPlate) when officerCancellations are drawn at random from officerDecisions, of which plateDetections are the plate\u2019s.',
  },
  evidence,
];

const camera: FactDefinition[] = [
  { name: 'cameraId', type: 'string', description: 'The camera.' },
  { name: 'unit', type: 'string', description: 'Unit that reviews the camera\u2019s detections.' },
  { name: 'detections', type: 'number', description: 'Detections of the camera in the window.' },
  { name: 'cancellations', type: 'number', description: 'Of those, rejected or cancelled.' },
  { name: 'cancellationShare', type: 'number', description: 'cancellations divided by detections.' },
  { name: 'distinctLegalBases', type: 'number', description: 'Distinct legal bases (acts) cited by those cancellations.' },
  evidence,
];

const unit: FactDefinition[] = [
  { name: 'unit', type: 'string', description: 'The administrative unit.' },
  { name: 'peakDay', type: 'string', description: 'Local calendar day (YYYY-MM-DD) with the most cancellations in the window.' },
  { name: 'peakDayCancellations', type: 'number', description: 'Cancellations on the peak day.' },
  { name: 'dailyCancellationMedian', type: 'number', description: 'Median daily cancellations of the unit before the peak day.' },
  { name: 'dailyCancellationMad', type: 'number', description: 'Raw median absolute deviation of those daily counts.' },
  { name: 'peakRobustZ', type: 'number', description: 'Robust z of the peak day against the unit\u2019s daily counts.' },
  { name: 'ewmaUpperLimit', type: 'number', description: 'Upper EWMA control limit for one day\u2019s cancellations on the peak day.' },
  { name: 'peakDayDistinctCameras', type: 'number', description: 'Distinct cameras whose detections were cancelled on the peak day.' },
  { name: 'peakDayDistinctActs', type: 'number', description: 'Distinct legal bases (acts) cited on the peak day.' },
  { name: 'peakDaySingleActShare', type: 'number', description: 'Share of the peak day\u2019s cancellations citing its most frequent act.' },
  ...rollupFacts('unit'),
  evidence,
];

const violation: FactDefinition[] = [
  { name: 'violationRef', type: 'string', description: 'Reference of the violation.' },
  { name: 'status', type: 'string', description: 'Current status derived from the unified register\u2019s events.' },
  { name: 'district', type: 'string', description: 'District of the detection as the source named it; null when it named none. The flag is placed there.' },
  { name: 'cameraId', type: 'string', description: 'Camera that made the detection; null when unknown. The flag is placed at it.' },
  { name: 'cancelled', type: 'boolean', description: 'Whether the fine was cancelled after issuance.' },
  { name: 'cancelReasonCode', type: 'string', description: 'Reason code of the cancellation; null when not cancelled.' },
  { name: 'cancelHasGround', type: 'boolean', description: 'The cancellation states a legal basis or reference, and a reason other than an empty \u201cother\u201d.' },
  { name: 'cancellerRole', type: 'string', description: 'Role of whoever cancelled, from HR on the day.' },
  { name: 'cancellerMayCancel', type: 'boolean', description: 'Whether that role may cancel a fine.' },
  { name: 'cancelledAfterNotice', type: 'boolean', description: 'Cancelled after the notice was issued.' },
  { name: 'appealed', type: 'boolean', description: 'The owner appealed before the cancellation.' },
  { name: 'hoursBeforeDeadline', type: 'number', description: 'Hours between the cancellation and the next deadline (payment, limitation); null when none.' },
  { name: 'cancelledAfterEnforcement', type: 'boolean', description: 'Cancelled after the fine was sent to enforcement.' },
  { name: 'backdatedHours', type: 'number', description: 'Hours by which the cancellation\u2019s effective date precedes its recorded-at; 0 when not backdated.' },
  { name: 'plateAmendedAfterReview', type: 'boolean', description: 'The plate was amended after the detection was confirmed.' },
  { name: 'amendedPlateRegistered', type: 'boolean', description: 'The amended plate exists in the vehicle register; null when not amended.' },
  { name: 'noticeDelivered', type: 'boolean', description: 'A notice was delivered to the owner.' },
  { name: 'registerPaid', type: 'boolean', description: 'The unified register marks the fine paid.' },
  { name: 'treasuryPaid', type: 'boolean', description: 'The treasury holds a matching payment.' },
  { name: 'daysSinceRegisterPaid', type: 'number', description: 'Days since the register marked the fine paid; null when not paid.' },
  { name: 'registerCancelled', type: 'boolean', description: 'Cancelled according to the unified register; null when the register has no record.' },
  { name: 'reviewCancelled', type: 'boolean', description: 'Cancelled according to the review system; null when it has no record.' },
  { name: 'enforcementAfterCancel', type: 'boolean', description: 'Sent to enforcement after one source recorded it cancelled.' },
  {
    name: 'daysUnreviewed',
    type: 'number',
    description: 'Days from the detection to the end of the window with no confirmation, rejection or cancellation; 0 once decided, or once the register recorded it expired.',
  },
  {
    name: 'daysConfirmedWithoutNotice',
    type: 'number',
    description: 'Days from the confirmation to the end of the window with no notice issued; 0 once issued, or once cancelled or expired.',
  },
  {
    name: 'daysNoticeUndelivered',
    type: 'number',
    description: 'Days from the notice to the end of the window with no delivery recorded; 0 once delivered, paid (payment proves receipt) or cancelled.',
  },
  { name: 'detectedOn', type: 'string', description: 'Local calendar day (YYYY-MM-DD) of the detection; null when the ledger has none.' },
  { name: 'confirmedOn', type: 'string', description: 'Local calendar day of the first confirmation; null when not confirmed.' },
  { name: 'noticeOn', type: 'string', description: 'Local calendar day of the first notice issued; null when none.' },
  evidence,
];

const source: FactDefinition[] = [
  { name: 'source', type: 'string', description: 'Code of the source system.' },
  { name: 'sourceKind', type: 'string', description: 'Kind of the source system (camera, review, register, treasury, ...).' },
  { name: 'numberedEvents', type: 'number', description: 'Events of the source in the window whose id ends in a number.' },
  { name: 'idSequences', type: 'number', description: 'Distinct id stems (the id without its trailing number): one numbering each.' },
  { name: 'missingIds', type: 'number', description: 'Numbers missing between consecutive numbered ids of a stem in the window and absent from the whole ledger.' },
  { name: 'gaps', type: 'number', description: 'Runs of consecutive missing numbers.' },
  { name: 'largestGap', type: 'number', description: 'Most numbers missing in one run.' },
  { name: 'missingShare', type: 'number', description: 'missingIds divided by missingIds plus numberedEvents.' },
  { name: 'firstMissingIds', type: 'string[]', description: 'The first missing event ids (up to 20), rebuilt from the stem and the neighbours\u2019 zero padding.' },
  { name: 'evidenceEventIds', type: 'string[]', description: 'The events on either side of each gap, as "source|eventId".' },  ...rollupFacts('source'),
];

export const FACT_CATALOGUE: Catalogue = {
  officer,
  vehicle,
  officer_vehicle: officerVehicle,
  camera,
  unit,
  violation,
  source,
};

/**
 * The name every rule uses for its parameters, as in { "fact": "params", "path": "$.minShare" };
 * no subject fact may take it.
 */
export const PARAMETERS_FACT = 'params';

const INDEX: ReadonlyMap<SubjectKind, ReadonlyMap<string, FactDefinition>> = new Map(
  (Object.keys(FACT_CATALOGUE) as SubjectKind[]).map((kind) => [
    kind,
    new Map(FACT_CATALOGUE[kind].map((fact) => [fact.name, fact])),
  ]),
);

export function factsFor(kind: SubjectKind): readonly FactDefinition[] {
  return FACT_CATALOGUE[kind];
}

export function findFact(kind: SubjectKind, name: string): FactDefinition | undefined {
  return INDEX.get(kind)?.get(name);
}

/** Whether a runtime value fits a declared type; null means "does not apply" and fits any. */
export function valueFitsFactType(value: unknown, type: FactType): boolean {
  if (value === null) return true;
  switch (type) {
    case 'number':
      return typeof value === 'number' && !Number.isNaN(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'string[]':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
  }
}
