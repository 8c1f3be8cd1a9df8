/**
 * The lifecycle events of one camera-detected violation, as every source system
 * reports them. These types are the vocabulary of the whole product; the HTTP
 * schemas in @qadaga/contracts are checked against them.
 */

export const EVENT_TYPES = [
  'detected',
  'review_assigned',
  'confirmed',
  'rejected',
  'amended',
  'notice_issued',
  'notice_delivered',
  'paid',
  'cancelled',
  'appealed',
  'appeal_decided',
  'expired',
  'sent_to_enforcement',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const ACTOR_KINDS = ['camera', 'officer', 'supervisor', 'system', 'owner', 'court', 'treasury'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

export interface Actor {
  kind: ActorKind;
  id: string;
  /** Administrative unit of an officer or supervisor (peer group for rules). */
  unit?: string;
  /** Workstation or terminal the action was signed from. */
  workstation?: string;
}

/** Coordinates (always both), or only a district or address when the source records no coordinates. */
export interface Place {
  lat?: number;
  lon?: number;
  district?: string;
  address?: string;
}

export interface Money {
  /** Amount in tenge (or the configured currency's major unit). */
  amount: number;
  /** The monthly calculation index (MRP) the amount was computed from, when known. */
  mrp?: number;
}

export const REJECTION_REASONS = ['camera_error', 'plate_misread', 'emergency_vehicle', 'duplicate', 'other'] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export const AMENDABLE_FIELDS = ['plate', 'article', 'speed', 'amount', 'owner', 'place', 'other'] as const;
export type AmendableField = (typeof AMENDABLE_FIELDS)[number];

export const NOTICE_CHANNELS = ['sms', 'post', 'egov', 'email', 'in_person', 'other'] as const;
export type NoticeChannel = (typeof NOTICE_CHANNELS)[number];

export const APPEAL_OUTCOMES = ['upheld', 'overturned', 'reduced', 'withdrawn', 'other'] as const;
export type AppealOutcome = (typeof APPEAL_OUTCOMES)[number];

/** Fields every source may add to any event, kept as evidence of where it came from. */
export interface CommonPayload {
  /** The source's own name for the step (for example an XES activity), kept verbatim. */
  sourceActivity?: string;
}

export interface DetectedPayload extends CommonPayload {
  /** Plate exactly as recognised or typed; optional because some registers withhold it. */
  plate?: string;
  cameraId?: string;
  place?: Place;
  /** Offence article of the administrative code. */
  article: string;
  speed?: number;
  speedLimit?: number;
  fine?: Money;
  mediaSha256?: string;
  vehicleClass?: string;
}
export interface ReviewAssignedPayload extends CommonPayload {
  officerId: string;
  unit?: string;
}
export interface ConfirmedPayload extends CommonPayload {
  fine?: Money;
}
export interface RejectedPayload extends CommonPayload {
  reasonCode: RejectionReason;
  reasonText?: string;
}
export interface AmendedPayload extends CommonPayload {
  field: AmendableField;
  before: string | number | null;
  after: string | number | null;
  reason?: string;
}
export interface NoticeIssuedPayload extends CommonPayload {
  noticeNumber: string;
  fine?: Money;
  ownerRef?: string;
  channel?: NoticeChannel;
}
export interface NoticeDeliveredPayload extends CommonPayload {
  noticeNumber?: string;
  channel?: NoticeChannel;
}
export interface PaidPayload extends CommonPayload {
  amount: number;
  discountApplied?: boolean;
  paymentRef?: string;
}
export interface CancelledPayload extends CommonPayload {
  reasonCode: string;
  reasonText?: string;
  legalBasis?: string;
  /** Reference to the appeal, court decision or act the cancellation rests on. */
  reference?: string;
  /** When the cancellation takes legal effect, if the source states it apart from occurred-at. */
  effectiveAt?: string;
}
export interface AppealedPayload extends CommonPayload {
  appealRef?: string;
  body?: 'prefecture' | 'court' | 'official' | 'other';
  reasonText?: string;
}
export interface AppealDecidedPayload extends CommonPayload {
  appealRef?: string;
  outcome: AppealOutcome;
  /** Amount owed after a reducing decision. */
  amount?: number;
}
export type ExpiredPayload = CommonPayload;
export interface SentToEnforcementPayload extends CommonPayload {
  amountDue?: number;
}

export interface PayloadByType {
  detected: DetectedPayload;
  review_assigned: ReviewAssignedPayload;
  confirmed: ConfirmedPayload;
  rejected: RejectedPayload;
  amended: AmendedPayload;
  notice_issued: NoticeIssuedPayload;
  notice_delivered: NoticeDeliveredPayload;
  paid: PaidPayload;
  cancelled: CancelledPayload;
  appealed: AppealedPayload;
  appeal_decided: AppealDecidedPayload;
  expired: ExpiredPayload;
  sent_to_enforcement: SentToEnforcementPayload;
}

interface EventEnvelope<T extends EventType> {
  /** Code of the source system that reported the event (an API key writes only its own). */
  source: string;
  /** Unique within the source; (source, eventId) is the idempotency key. */
  eventId: string;
  /** The violation this step belongs to, shared across sources for the same violation. */
  violationRef: string;
  type: T;
  /** When it happened, normalised to an ISO-8601 UTC instant with milliseconds. */
  occurredAt: string;
  /** When the source recorded it, if it says. */
  recordedAt?: string;
  actor: Actor;
  payload: PayloadByType[T];
}

/** A lifecycle event as reported by a source, after validation and normalisation. */
export type LifecycleEvent = { [T in EventType]: EventEnvelope<T> }[EventType];
