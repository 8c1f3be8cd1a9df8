/**
 * The manipulation patterns the product is built to catch, and the subjects each is
 * judged on. Rules declare which pattern they detect; the simulator injects each one and
 * records its ground truth under the same ids, so detection quality can be measured.
 */

export const SUBJECT_KINDS = ['officer', 'vehicle', 'officer_vehicle', 'camera', 'unit', 'violation', 'source'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/**
 * `subject` is what the scheme's ground truth lists. A scheme of steps that never came is
 * also judged rolled up (`rolledUpOn`): one flag per subject responsible for the missing
 * step (a unit, an officer, a source system), listing its violations, rather than one per
 * violation.
 */
export interface SchemeDefinition {
  subject: SubjectKind;
  summary: string;
  rolledUpOn?: readonly SubjectKind[];
}

export const SCHEMES = {
  protected_plate: { subject: 'vehicle', summary: "a vehicle whose fines keep vanishing" },
  officer_favours_vehicle: { subject: 'officer_vehicle', summary: 'one officer cancels the same plate again and again' },
  officer_outlier_rate: { subject: 'officer', summary: 'an officer rejects or cancels far more than peers' },
  cancellation_without_ground: { subject: 'violation', summary: 'a cancellation with no stated ground, or by a role that may not cancel' },
  plate_edited_after_review: { subject: 'violation', summary: 'the plate edited after review so the notice goes nowhere' },
  speed_downgrade: { subject: 'officer', summary: 'measured speeds edited down to just under a fine band' },
  sitting_until_expiry: { subject: 'officer', summary: 'detections left unreviewed until they expire' },
  cancel_near_deadline: { subject: 'violation', summary: 'cancelled right before a deadline or after referral to enforcement' },
  mass_cancellation: { subject: 'unit', summary: 'a burst of cancellations in one unit on one day' },
  backdated_cancellation: { subject: 'violation', summary: 'a cancellation dated more than a day before it was recorded' },
  off_shift_action: { subject: 'officer', summary: 'decisions signed off shift or at night' },
  rubber_stamping: { subject: 'officer', summary: 'reviews in under two seconds, or approvals by officers not on duty' },
  emergency_exemption_abuse: { subject: 'officer', summary: 'emergency-vehicle rejections with no dispatch record' },
  paid_without_treasury: { subject: 'violation', summary: 'marked paid with no matching treasury record', rolledUpOn: ['source'] },
  sources_disagree: { subject: 'violation', summary: 'two systems report different states for one violation' },
  unreviewed_detection: { subject: 'violation', summary: 'a detection nobody confirmed or rejected within the review limit', rolledUpOn: ['unit'] },
  confirmed_without_notice: { subject: 'violation', summary: 'a confirmed violation whose notice was never issued', rolledUpOn: ['unit'] },
  notice_not_delivered: { subject: 'violation', summary: 'a notice issued and never delivered, paid or cancelled', rolledUpOn: ['source'] },
  source_id_gap: { subject: 'source', summary: "numbers missing from a source system's event id sequence" },
} as const satisfies Record<string, SchemeDefinition>;
export type SchemeId = keyof typeof SCHEMES;
export const SCHEME_IDS = Object.keys(SCHEMES) as SchemeId[];

/** Innocent look-alikes the simulator plants; no rule may flag them. */
export const LOOKALIKES = {
  faulty_camera_voided: 'a faulty camera whose detections were voided lawfully, citing one act',
  appeals_desk_officer: 'an appeals-desk officer who cancels many fines on appeal',
  fleet_with_many_fines: 'a fleet vehicle with many fines, all processed normally',
  staff_shortage_week: 'a week of staff shortage in which a whole unit lets detections expire',
} as const;
export type LookalikeId = keyof typeof LOOKALIKES;

/** Subject ids: an officer id, a plate key, "officerId|plateKey", a camera id, a unit code, a violation ref, a source system code. */
export interface SubjectRef {
  kind: SubjectKind;
  id: string;
}

export interface GroundTruth {
  seed: number;
  schemes: { scheme: SchemeId; subjects: SubjectRef[]; note: string }[];
  lookalikes: { lookalike: LookalikeId; subjects: SubjectRef[]; note: string }[];
}
