import type { ActorKind, AmendableField, EventType, LifecycleEvent } from './events.js';
import { amountDue, earnsDiscount } from './fine-deadlines.js';
import { plateKey } from './plate.js';

/**
 * The state of a violation is never stored as truth: it is derived by folding its
 * events in occurred-at order, whatever order they arrived in. An event that the
 * lifecycle does not allow at that point is still applied where it can be, and is
 * reported as an anomaly: it is evidence, never discarded.
 */

export const VIOLATION_STATUSES = [
  'detected',
  'in_review',
  'confirmed',
  'rejected',
  'notified',
  'delivered',
  'appealed',
  'paid',
  'cancelled',
  'expired',
  'in_enforcement',
  'unknown',
] as const;
export type ViolationStatus = (typeof VIOLATION_STATUSES)[number];

/** Statuses after which nothing but an appeal outcome or enforcement should change the fine. */
export const CLOSED_STATUSES: ReadonlySet<ViolationStatus> = new Set(['rejected', 'cancelled', 'expired']);

/**
 * Which statuses each event may follow. 'unknown' is the status before any event is
 * seen, so an event arriving first for a violation whose detection is late is judged
 * only once the detection arrives (the fold is re-run over the whole timeline).
 */
export const ALLOWED_FROM: Readonly<Record<EventType, ReadonlySet<ViolationStatus>>> = {
  detected: new Set(['unknown']),
  review_assigned: new Set(['detected', 'in_review']),
  confirmed: new Set(['detected', 'in_review']),
  rejected: new Set(['detected', 'in_review']),
  amended: new Set(['detected', 'in_review', 'confirmed', 'notified', 'delivered', 'appealed', 'in_enforcement', 'paid']),
  notice_issued: new Set(['confirmed', 'notified', 'delivered', 'paid', 'appealed']),
  notice_delivered: new Set(['notified', 'delivered', 'paid', 'appealed', 'in_enforcement']),
  paid: new Set(['confirmed', 'notified', 'delivered', 'appealed', 'paid', 'in_enforcement']),
  cancelled: new Set(['detected', 'in_review', 'confirmed', 'notified', 'delivered', 'appealed', 'in_enforcement', 'paid']),
  appealed: new Set(['confirmed', 'notified', 'delivered', 'appealed', 'in_enforcement', 'paid']),
  // The decision can be recorded more than once (received, then notified to the owner).
  appeal_decided: new Set(['appealed', 'delivered', 'paid', 'cancelled', 'in_enforcement']),
  expired: new Set(['detected', 'in_review', 'confirmed', 'notified', 'delivered']),
  sent_to_enforcement: new Set(['notified', 'delivered', 'appealed', 'in_enforcement', 'paid']),
};

/**
 * Steps one violation can go through more than once: a fine paid in parts, amended twice,
 * re-sent, appealed to the prefecture and then to a court. A source that reports only a
 * ticket's current state shows the latest of these, so an importer must tell them apart by
 * their own facts (when, or the source's reference) rather than by their type alone.
 */
export const REPEATABLE_STEPS: ReadonlySet<EventType> = new Set<EventType>([
  'review_assigned',
  'amended',
  'notice_issued',
  'notice_delivered',
  'paid',
  'appealed',
  'appeal_decided',
]);

/**
 * A step that answers an earlier one of the same violation: it is an anomaly unless that
 * step was seen before it, whatever the status (a decision on an appeal never lodged).
 */
export const REQUIRES_EARLIER: Partial<Record<EventType, EventType>> = { appeal_decided: 'appealed' };

/** Who may take each step; anyone else taking it is an anomaly ("confirmed by nobody"). */
export const ALLOWED_ACTORS: Partial<Record<EventType, ReadonlySet<ActorKind>>> = {
  confirmed: new Set(['officer', 'supervisor']),
  rejected: new Set(['officer', 'supervisor']),
  // A system may add a statutory surcharge (an amount amendment); any other field
  // edited by a system is refused by SYSTEM_AMENDABLE_FIELDS.
  amended: new Set(['officer', 'supervisor', 'system']),
  cancelled: new Set(['officer', 'supervisor', 'court', 'system']),
  appeal_decided: new Set(['officer', 'supervisor', 'court']),
  paid: new Set(['treasury', 'owner', 'system']),
};

export interface Anomaly {
  eventId: string;
  source: string;
  code: 'impossible_transition' | 'actor_not_allowed' | 'duplicate_detection' | 'missing_actor';
  message: string;
}

export interface ViolationState {
  violationRef: string;
  status: ViolationStatus;
  plate: string | null;
  plateKey: string | null;
  /** Plate first reported at detection, before any amendment. */
  detectedPlate: string | null;
  cameraId: string | null;
  district: string | null;
  article: string | null;
  fineAmount: number | null;
  /** What was paid, as the source that knows most payments reports it (treasury and register report the same money). */
  paidAmount: number;
  /** Paid per source: the same payment appears once in each system that records it. */
  paidBySource: Record<string, number>;
  /** Of what was paid, the part paid within the discount week of the first notice (counted as paidAmount is). */
  paidWithinDiscount: number;
  /** What the owner owes now: zero once closed, overturned or paid in full. */
  amountOwed: number;
  detectedAt: string | null;
  lastEventAt: string | null;
  /** Current status per source system, to see two systems disagree. */
  statusBySource: Record<string, ViolationStatus>;
  officerIds: string[];
  /**
   * The first and the last instant of each kind of step: what deadlines, cancellations and
   * enforcement are placed against (the facts read the same instants from the database).
   */
  firstAt: Partial<Record<EventType, string>>;
  lastAt: Partial<Record<EventType, string>>;
  /** The first payment each source reported. */
  firstPaidAtBySource: Record<string, string>;
  eventCount: number;
  anomalies: Anomaly[];
}

export interface OrderedEvent {
  event: LifecycleEvent;
  /** Ledger position, to order events that happened at the same instant stably. */
  ledgerSeq: bigint | number;
}

/** Orders by occurred-at, then the source's recorded-at, then ledger position. */
export function compareTimeline(a: OrderedEvent, b: OrderedEvent): number {
  if (a.event.occurredAt !== b.event.occurredAt) return a.event.occurredAt < b.event.occurredAt ? -1 : 1;
  const ar = a.event.recordedAt ?? '';
  const br = b.event.recordedAt ?? '';
  if (ar !== br) return ar < br ? -1 : 1;
  return a.ledgerSeq < b.ledgerSeq ? -1 : a.ledgerSeq > b.ledgerSeq ? 1 : 0;
}

/** The only fields a system, rather than a person, may amend: a statutory surcharge changes the amount. */
export const SYSTEM_AMENDABLE_FIELDS: ReadonlySet<AmendableField> = new Set<AmendableField>(['amount']);

function actorAllowed(event: LifecycleEvent): boolean {
  const actors = ALLOWED_ACTORS[event.type];
  if (actors !== undefined && !actors.has(event.actor.kind)) return false;
  if (event.type === 'amended' && event.actor.kind === 'system') return SYSTEM_AMENDABLE_FIELDS.has(event.payload.field);
  return true;
}

/**
 * The status one event leads to from `current`, given what will be owed after it; the fold
 * keeps a closed status unless the event decides an appeal lodged before it.
 */
export function nextStatus(current: ViolationStatus, event: LifecycleEvent, owedAfter: number): ViolationStatus {
  switch (event.type) {
    case 'detected':
      return current === 'unknown' ? 'detected' : current;
    case 'review_assigned':
      return current === 'detected' ? 'in_review' : current;
    case 'confirmed':
      return 'confirmed';
    case 'rejected':
      return 'rejected';
    case 'amended':
      return current;
    case 'notice_issued':
      return current === 'paid' || current === 'appealed' ? current : 'notified';
    case 'notice_delivered':
      return current === 'notified' ? 'delivered' : current;
    case 'paid':
      return owedAfter <= 0 ? 'paid' : current;
    case 'cancelled':
      return 'cancelled';
    case 'appealed':
      return 'appealed';
    case 'appeal_decided':
      if (event.payload.outcome === 'overturned') return 'cancelled';
      return owedAfter <= 0 ? 'paid' : 'delivered';
    case 'expired':
      return 'expired';
    case 'sent_to_enforcement':
      return 'in_enforcement';
  }
}

function emptyState(violationRef: string): ViolationState {
  return {
    violationRef,
    status: 'unknown',
    plate: null,
    plateKey: null,
    detectedPlate: null,
    cameraId: null,
    district: null,
    article: null,
    fineAmount: null,
    paidAmount: 0,
    paidBySource: {},
    paidWithinDiscount: 0,
    amountOwed: 0,
    detectedAt: null,
    lastEventAt: null,
    statusBySource: {},
    officerIds: [],
    firstAt: {},
    lastAt: {},
    firstPaidAtBySource: {},
    eventCount: 0,
    anomalies: [],
  };
}

function applyFacts(state: ViolationState, event: LifecycleEvent): void {
  switch (event.type) {
    case 'detected': {
      const p = event.payload;
      if (p.plate !== undefined && state.detectedPlate === null) state.detectedPlate = p.plate;
      if (p.plate !== undefined && state.plate === null) state.plate = p.plate;
      state.cameraId ??= p.cameraId ?? null;
      state.district ??= p.place?.district ?? null;
      state.article ??= p.article;
      if (p.fine !== undefined && state.fineAmount === null) state.fineAmount = p.fine.amount;
      state.detectedAt ??= event.occurredAt;
      break;
    }
    case 'confirmed':
      if (event.payload.fine !== undefined) state.fineAmount = event.payload.fine.amount;
      break;
    case 'notice_issued':
      if (event.payload.fine !== undefined) state.fineAmount = event.payload.fine.amount;
      break;
    case 'amended': {
      const { field, after } = event.payload;
      if (field === 'plate' && typeof after === 'string') state.plate = after;
      if (field === 'amount' && typeof after === 'number') state.fineAmount = after;
      if (field === 'article' && typeof after === 'string') state.article = after;
      break;
    }
    case 'paid':
      state.paidBySource[event.source] = (state.paidBySource[event.source] ?? 0) + event.payload.amount;
      state.paidAmount = Math.max(...Object.values(state.paidBySource));
      break;
    case 'appeal_decided':
      if (event.payload.outcome === 'reduced' && event.payload.amount !== undefined) state.fineAmount = event.payload.amount;
      break;
    case 'review_assigned':
      addOfficer(state, event.payload.officerId);
      break;
    default:
      break;
  }
  if (event.actor.kind === 'officer' || event.actor.kind === 'supervisor') addOfficer(state, event.actor.id);
}

function addOfficer(state: ViolationState, officerId: string): void {
  if (!state.officerIds.includes(officerId)) state.officerIds.push(officerId);
}

/** What is still owed: half the fine once that half was paid within the discount week, else the whole fine. */
function owed(state: ViolationState, status: ViolationStatus): number {
  return CLOSED_STATUSES.has(status) ? 0 : owedWhileOpen(state);
}

function owedWhileOpen(state: ViolationState): number {
  return Math.max(0, amountDue(state.fineAmount ?? 0, state.paidWithinDiscount) - state.paidAmount);
}

/** Adds a payment made within the discount week of the first notice (notices come earlier in the fold). */
function countDiscountedPayment(state: ViolationState, discounted: Record<string, number>, event: LifecycleEvent): void {
  if (event.type !== 'paid') return;
  const notice = state.firstAt.notice_issued;
  if (!earnsDiscount(notice === undefined ? null : Date.parse(notice), Date.parse(event.occurredAt))) return;
  discounted[event.source] = (discounted[event.source] ?? 0) + event.payload.amount;
  state.paidWithinDiscount = Math.max(...Object.values(discounted));
}

/** Derives the current state and the anomalies of one violation from all its events. */
export function deriveViolation(violationRef: string, events: readonly OrderedEvent[]): ViolationState {
  const state = emptyState(violationRef);
  const ordered = [...events].sort(compareTimeline);
  const seen = new Set<EventType>();
  const discountedBySource: Record<string, number> = {};
  for (const { event } of ordered) {
    const before = state.status;
    const allowed = ALLOWED_FROM[event.type];
    const required = REQUIRES_EARLIER[event.type];
    const missingEarlier = required !== undefined && !seen.has(required);
    if (!allowed.has(before) || missingEarlier) {
      state.anomalies.push({
        eventId: event.eventId,
        source: event.source,
        code: event.type === 'detected' ? 'duplicate_detection' : 'impossible_transition',
        message: `${event.type} cannot follow ${before}`,
      });
    }
    seen.add(event.type);
    if (!actorAllowed(event)) {
      state.anomalies.push({
        eventId: event.eventId,
        source: event.source,
        code: 'actor_not_allowed',
        message: `${event.type} by ${event.actor.kind} ${event.actor.id}`,
      });
    }
    applyFacts(state, event);
    countDiscountedPayment(state, discountedBySource, event);
    // Only the decision on an appeal that was lodged may reopen a closed violation (an
    // upheld appeal reverses its cancellation); the fine it reinstates is owed as if the
    // violation had stayed open. Any other step from a closed status (paid after
    // cancelled, a decision on an expired fine) is kept as evidence and changes nothing.
    const decidesAppeal = event.type === 'appeal_decided' && allowed.has(before) && !missingEarlier;
    const owedNow = decidesAppeal ? owedWhileOpen(state) : owed(state, before);
    const next = CLOSED_STATUSES.has(before) && !decidesAppeal ? before : nextStatus(before, event, owedNow);
    state.status = next;
    state.statusBySource[event.source] = nextStatus(state.statusBySource[event.source] ?? 'unknown', event, owedNow);
    state.lastEventAt = event.occurredAt;
    state.firstAt[event.type] ??= event.occurredAt;
    state.lastAt[event.type] = event.occurredAt;
    if (event.type === 'paid') state.firstPaidAtBySource[event.source] ??= event.occurredAt;
    state.eventCount += 1;
  }
  state.plateKey = state.plate === null ? null : plateKey(state.plate);
  state.amountOwed = owed(state, state.status);
  return state;
}
