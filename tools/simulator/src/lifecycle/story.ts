import type {
  Actor,
  AmendableField,
  AppealOutcome,
  EventType,
  LifecycleEvent,
  Money,
  NoticeChannel,
  PayloadByType,
  RejectionReason,
} from '@qadaga/domain';
import type { Camera } from '../city/cameras.js';
import { bandFor, discounted, fineFor } from '../city/fines.js';
import { violationRef, type CityModel } from '../city/model.js';
import { isAbsent, workTimeFrom, type Officer, type Unit } from '../city/roster.js';
import { EVENT_ID_PREFIX, SOURCES } from '../city/sources.js';
import type { Detection } from '../city/traffic.js';
import { VehicleRegister, type Vehicle } from '../city/vehicles.js';
import { Rng } from '../random.js';
import { DAY, HOUR, MINUTE, SECOND, addMonths, iso } from '../time.js';
import type { OfficerClock } from './officer-clock.js';

/**
 * One violation's life, told as events. The story holds the facts so far (which plate,
 * which officer, when the notice went out) and emits each step with the right source,
 * actor and recorded-at. Whatever is decided later (a rejection for a misread plate)
 * may still change the detection, so the detection event is written last and the
 * events are sorted by occurred-at before they leave.
 *
 * Anything recorded after the simulated "now" (the city's end) has not happened yet
 * and is dropped: lifecycles near the end are simply in progress.
 */

export const DEADLINES = {
  /** Half the fine if paid within 7 days of the notice. */
  discount: 7 * DAY,
  /** Full amount within 30 days, then forced collection. */
  payment: 30 * DAY,
  /** Limitation period: two calendar months from the offence. */
  limitationMonths: 2,
} as const;

/**
 * How long a step may wait before its absence is an omission the register should see: a
 * decision on a detection (well before the two-month limitation), the delivery of an
 * issued notice. The completeness rules' default thresholds are the same limits.
 */
export const COMPLETION_LIMITS = {
  review: 30 * DAY,
  delivery: 30 * DAY,
} as const;

/** A step the story leaves undone, and the instant from which its absence is overdue. */
export interface Omission {
  scheme: 'unreviewed_detection' | 'notice_not_delivered';
  dueAt: number;
}

/** How close to a deadline a cancellation must not come unless a scheme wants it to (48 h plus slack). */
export const DEADLINE_MARGIN = 54 * HOUR;

export interface CancelSpec {
  by: Officer | 'register';
  /** Occurred-at; for an officer already reserved on the clock. */
  at: number;
  /** Defaults to a few seconds after at. */
  recordedAt?: number;
  reasonCode: string;
  reasonText?: string;
  legalBasis?: string;
  reference?: string;
  effectiveAt?: number;
  workstation?: string;
}

const CAMERA = 'camera' as const;

export class Story {
  readonly events: LifecycleEvent[] = [];
  readonly ref: string;
  camera: Camera;
  vehicle: Vehicle;
  plateReceived: string;
  /** The plate as currently on record (after amendments). */
  plate: string;
  detectedAt: number;
  /** Measured excess over the limit, and the excess after any edit. */
  excess: number;
  currentExcess: number;
  assignedTo: Officer | undefined;
  assignedAt = 0;
  confirmedAt: number | undefined;
  noticeAt: number | undefined;
  deliveredAt: number | undefined;
  /** Steps left undone and overdue by the city's end, as the register sees them; set by finish(). */
  readonly omissions: Omission[] = [];
  private noticeOwnerless = false;
  private noticeChannel: NoticeChannel = 'egov';
  private readonly seq: Record<string, number> = {};

  constructor(
    readonly model: CityModel,
    readonly clock: OfficerClock,
    readonly detection: Detection,
    readonly rng: Rng,
  ) {
    this.ref = violationRef(model, detection.index);
    this.camera = detection.camera;
    this.vehicle = detection.vehicle;
    this.plateReceived = VehicleRegister.render(detection.vehicle.plate, detection.renderDraw);
    this.plate = this.plateReceived;
    this.detectedAt = detection.at;
    this.excess = detection.excess;
    this.currentExcess = detection.excess;
  }

  get unit(): Unit {
    return this.model.units.get(this.camera.unit) as Unit;
  }

  fine(): Money {
    return fineFor(this.currentExcess, this.detectedAt);
  }

  limitation(): number {
    return addMonths(this.detectedAt, DEADLINES.limitationMonths);
  }

  // ---- emission -------------------------------------------------------------------

  private push<T extends EventType>(source: string, type: T, at: number, actor: Actor, payload: PayloadByType[T], recordedAt: number): void {
    if (recordedAt > this.model.end || at > this.model.end) return;
    const prefix = EVENT_ID_PREFIX[source] ?? source;
    const n = (this.seq[prefix] ?? 0) + 1;
    this.seq[prefix] = n;
    this.events.push({
      source,
      eventId: `${prefix}-${this.ref}-${n}`,
      violationRef: this.ref,
      type,
      occurredAt: iso(at),
      recordedAt: iso(recordedAt),
      actor,
      payload,
    } as LifecycleEvent);
  }

  private lag(minMs: number, maxMs: number): number {
    return Math.round(this.rng.between(minMs, maxMs));
  }

  officerActor(officer: Officer, workstation = officer.workstation): Actor {
    return { kind: officer.role === 'supervisor' ? 'supervisor' : 'officer', id: officer.id, unit: officer.unit, workstation };
  }

  private registerActor(): Actor {
    return { kind: 'system', id: 'unified-register' };
  }

  /** Writes the detection (now final) and returns the story's events in occurred-at order. */
  finish(): LifecycleEvent[] {
    const speedLimit = this.camera.speedLimit;
    this.push(
      SOURCES.camera,
      'detected',
      this.detectedAt,
      { kind: CAMERA, id: this.camera.id },
      {
        plate: this.plateReceived,
        cameraId: this.camera.id,
        place: { lat: this.camera.lat, lon: this.camera.lon, district: this.camera.district, address: this.camera.address },
        article: bandFor(this.excess).article,
        speed: speedLimit + this.excess,
        speedLimit,
        fine: fineFor(this.excess, this.detectedAt),
        mediaSha256: this.rng.hex(64),
      },
      this.detectedAt + this.lag(2 * SECOND, 40 * SECOND),
    );
    this.events.sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : 0));
    this.noteOmissions();
    return this.events;
  }

  /**
   * What should have followed in time and did not, read off the events the register
   * received (a step planned after the end, or lost by its source, counts as missing):
   * whether a planted scheme or the city's ordinary course left it undone, it is an
   * omission the completeness rules exist to find. The register counts whole days, so a
   * step is overdue once more than its limit, a full day beyond it, has passed.
   */
  private noteOmissions(): void {
    const firstOf = (...types: EventType[]) => {
      const e = this.events.find((x) => types.includes(x.type));
      return e === undefined ? Infinity : Date.parse(e.occurredAt);
    };
    const end = this.model.end;
    const reviewOverdue = firstOf('detected') + COMPLETION_LIMITS.review + DAY;
    if (reviewOverdue <= end && firstOf('confirmed', 'rejected', 'cancelled') >= reviewOverdue) {
      this.omissions.push({ scheme: 'unreviewed_detection', dueAt: reviewOverdue });
    }
    const noticeAt = firstOf('notice_issued');
    const deliveryOverdue = noticeAt + COMPLETION_LIMITS.delivery + DAY;
    if (deliveryOverdue <= end && firstOf('notice_delivered', 'paid', 'cancelled') >= deliveryOverdue) {
      this.omissions.push({ scheme: 'notice_not_delivered', dueAt: deliveryOverdue });
    }
  }

  /**
   * Drops the first event of this type from this source after the source numbered it, as
   * a deletion without a trace would: the source's numbering keeps the hole.
   */
  lose(source: string, type: EventType): void {
    const i = this.events.findIndex((e) => e.source === source && e.type === type);
    if (i >= 0) this.events.splice(i, 1);
  }

  // ---- steps ----------------------------------------------------------------------

  /** Takes the officer's next free moment at or after t (ten seconds from their other actions). */
  act(officer: Officer, t: number): number {
    return this.clock.reserve(officer.id, t);
  }

  assign(officer: Officer, at: number): void {
    this.assignedTo = officer;
    this.assignedAt = at;
    this.push(SOURCES.review, 'review_assigned', at, { kind: 'system', id: 'review-queue' }, { officerId: officer.id, unit: officer.unit }, at + this.lag(200, 3 * SECOND));
  }

  confirm(officer: Officer, at: number, workstation?: string): void {
    this.confirmedAt = at;
    this.push(SOURCES.review, 'confirmed', at, this.officerActor(officer, workstation), { fine: this.fine() }, at + this.lag(SECOND, 15 * SECOND));
  }

  reject(officer: Officer, at: number, reasonCode: RejectionReason, reasonText?: string, workstation?: string): void {
    const payload = reasonText === undefined ? { reasonCode } : { reasonCode, reasonText };
    this.push(SOURCES.review, 'rejected', at, this.officerActor(officer, workstation), payload, at + this.lag(SECOND, 15 * SECOND));
  }

  amend(officer: Officer, at: number, field: AmendableField, before: string | number, after: string | number, reason: string): void {
    this.push(SOURCES.review, 'amended', at, this.officerActor(officer), { field, before, after, reason }, at + this.lag(SECOND, 15 * SECOND));
  }

  /** Edits the speed (and the article, when the band changes); returns the time of the last edit. */
  editSpeed(officer: Officer, at: number, newExcess: number, reason: string): number {
    const limit = this.camera.speedLimit;
    const beforeBand = bandFor(this.currentExcess);
    this.amend(officer, at, 'speed', limit + this.currentExcess, limit + newExcess, reason);
    this.currentExcess = newExcess;
    const afterBand = bandFor(newExcess);
    if (afterBand.article === beforeBand.article) return at;
    const next = this.act(officer, at + this.lag(12 * SECOND, 40 * SECOND));
    this.amend(officer, next, 'article', beforeBand.article, afterBand.article, 'article follows the corrected speed');
    return next;
  }

  editPlate(officer: Officer, at: number, to: string, reason: string): void {
    this.amend(officer, at, 'plate', this.plate, to, reason);
    this.plate = to;
  }

  issueNotice(at: number, options: { ownerless?: boolean } = {}): void {
    this.noticeAt = at;
    this.noticeOwnerless = options.ownerless === true;
    const channel: NoticeChannel = this.noticeOwnerless ? 'post' : this.rng.weighted([['egov', 55], ['sms', 30], ['post', 15]] as const);
    const payload = this.noticeOwnerless
      ? { noticeNumber: this.noticeNumber(), fine: this.fine(), channel }
      : { noticeNumber: this.noticeNumber(), fine: this.fine(), ownerRef: this.vehicle.ownerRef, channel };
    this.push(SOURCES.register, 'notice_issued', at, this.registerActor(), payload, at + this.lag(5 * SECOND, 8 * MINUTE));
    this.noticeChannel = channel;
  }

  noticeNumber(): string {
    return `NTC-${this.ref}`;
  }

  /** Delivery by the notice's channel: electronic within the hour, post within a week. */
  deliver(): void {
    const issued = this.noticeAt ?? this.detectedAt;
    const at = this.noticeChannel === 'post' ? issued + this.rng.between(2 * DAY, 7 * DAY) : issued + this.rng.between(MINUTE, 45 * MINUTE);
    this.deliveredAt = at;
    this.push(SOURCES.register, 'notice_delivered', at, this.registerActor(), { noticeNumber: this.noticeNumber(), channel: this.noticeChannel }, at + this.lag(5 * SECOND, 8 * MINUTE));
  }

  /**
   * A payment: the treasury receives the money at `at`, the register records it 0-3 days
   * later with the same payment reference. `treasury: false` is the forged case.
   */
  pay(at: number, options: { treasury?: boolean; amount?: number } = {}): void {
    const fine = this.fine();
    const discount = this.noticeAt !== undefined && at < this.noticeAt + DEADLINES.discount;
    const amount = options.amount ?? (discount ? discounted(fine) : fine.amount);
    const paymentRef = `PAY-${this.ref}`;
    const payload = { amount, discountApplied: discount, paymentRef };
    if (options.treasury !== false) {
      this.push(SOURCES.treasury, 'paid', at, { kind: 'treasury', id: 'kz-treasury' }, payload, at + this.lag(30 * SECOND, 15 * MINUTE));
    }
    const registeredAt = at + (this.rng.chance(0.4) ? this.rng.between(MINUTE, 6 * HOUR) : this.rng.between(6 * HOUR, 3 * DAY));
    this.push(SOURCES.register, 'paid', registeredAt, this.registerActor(), { ...payload }, registeredAt + this.lag(5 * SECOND, 8 * MINUTE));
  }

  appeal(at: number): string {
    const appealRef = `APL-${this.ref}`;
    this.push(SOURCES.register, 'appealed', at, { kind: 'owner', id: this.vehicle.ownerRef }, { appealRef, body: 'court', reasonText: 'owner disputes the measurement' }, at + this.lag(MINUTE, 30 * MINUTE));
    return appealRef;
  }

  decideAppeal(at: number, appealRef: string, outcome: AppealOutcome): void {
    this.push(SOURCES.register, 'appeal_decided', at, { kind: 'court', id: 'almaty-admin-court' }, { appealRef, outcome }, at + this.lag(MINUTE, 30 * MINUTE));
  }

  cancel(spec: CancelSpec): void {
    const payload = {
      reasonCode: spec.reasonCode,
      ...(spec.reasonText === undefined ? {} : { reasonText: spec.reasonText }),
      ...(spec.legalBasis === undefined ? {} : { legalBasis: spec.legalBasis }),
      ...(spec.reference === undefined ? {} : { reference: spec.reference }),
      ...(spec.effectiveAt === undefined ? {} : { effectiveAt: iso(spec.effectiveAt) }),
    };
    if (spec.by === 'register') {
      this.push(SOURCES.register, 'cancelled', spec.at, this.registerActor(), payload, spec.recordedAt ?? spec.at + this.lag(5 * SECOND, 8 * MINUTE));
    } else {
      this.push(SOURCES.review, 'cancelled', spec.at, this.officerActor(spec.by, spec.workstation), payload, spec.recordedAt ?? spec.at + this.lag(SECOND, 15 * SECOND));
    }
  }

  enforce(at: number): void {
    this.push(SOURCES.register, 'sent_to_enforcement', at, this.registerActor(), { amountDue: this.fine().amount }, at + this.lag(5 * SECOND, 8 * MINUTE));
  }

  expire(): void {
    const at = this.limitation() + this.rng.between(HOUR, 6 * HOUR);
    this.push(SOURCES.register, 'expired', at, this.registerActor(), {}, at + this.lag(5 * SECOND, 8 * MINUTE));
  }

  // ---- judgement helpers ----------------------------------------------------------

  /** Whether t lies within the margin of a deadline this violation has (discount, payment, limitation). */
  nearDeadline(t: number, margin = DEADLINE_MARGIN): boolean {
    if (Math.abs(t - this.limitation()) < margin) return true;
    if (this.noticeAt === undefined) return false;
    return Math.abs(t - (this.noticeAt + DEADLINES.discount)) < margin || Math.abs(t - (this.noticeAt + DEADLINES.payment)) < margin;
  }

  supervisor(): Officer {
    return this.rng.pick(this.unit.supervisors);
  }

  /** Who cancels after an appeal: the unit's appeals desk where it has one, else a supervisor. */
  appealsOfficer(): Officer {
    return this.unit.appealsDesk.length > 0 ? this.rng.pick(this.unit.appealsDesk) : this.supervisor();
  }

  /**
   * A cancellation time that is lawful-looking: in the officer's working hours, after
   * the notice, and clear of every deadline (so only planted cases sit near one).
   */
  safeCancelTime(officer: Officer): number {
    const notice = this.noticeAt ?? this.confirmedAt ?? this.detectedAt;
    for (let attempt = 0; attempt < 8; attempt += 1) {
      const base = notice + (this.rng.chance(0.3) ? this.rng.between(DAY, 4.5 * DAY) : this.rng.between(9.5 * DAY, 25 * DAY));
      const at = workTimeFrom(officer, base, this.rng);
      if (!this.nearDeadline(at) && at < notice + 27 * DAY && !isAbsent(officer, at)) return this.act(officer, at);
    }
    return this.act(officer, workTimeFrom(officer, notice + 14 * DAY, this.rng));
  }
}
