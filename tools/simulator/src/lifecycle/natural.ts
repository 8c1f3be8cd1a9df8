import type { RejectionReason } from '@qadaga/domain';
import { BAND_EDGES } from '../city/fines.js';
import { absentDuring, laterInShift, shiftWindowAt, shiftWindowsAfter, workTimeFrom, type Officer, type Unit } from '../city/roster.js';
import { LEGAL_BASIS } from '../city/sources.js';
import type { Rng } from '../random.js';
import { DAY, HOUR, MINUTE, SECOND, hourOfWeek, localMidnight } from '../time.js';
import type { Behaviour } from './directive.js';
import { DEADLINES, type Story } from './story.js';

/**
 * The normal course of a violation: what an honest city does. The rates below are the
 * city's baseline; schemes are measured against it.
 */
export const NORMAL = {
  /** Detections with a defect an honest reviewer rejects (sum about 7%). */
  quirks: [
    ['clean', 0.92],
    ['camera_error', 0.025],
    ['plate_misread', 0.023],
    ['duplicate', 0.017],
    ['other', 0.005],
    /** Misread, but the reviewer recognises the real plate on the photo and corrects it. */
    ['misread_fixed', 0.01],
  ] as const,
  /** Assigned and forgotten until the limitation period ends. */
  sit: 0.01,
  /** Speed edited down by the device tolerance (2-5 km/h), not to a band edge. */
  toleranceEdit: 0.006,
  /** Share of plate corrections made after the confirmation (still before the notice). */
  lateFixShare: 0.2,
  /** A reviewer withdraws their own confirmation before the notice goes out. */
  withdraw: 0.004,
  undelivered: 0.02,
  outcomes: [['pay', 0.75], ['appeal', 0.1], ['cancel', 0.03], ['enforce', 0.12]] as const,
  /** Of payers, the share who pay within the 7-day discount window. */
  discountShare: 0.62,
  overturned: 0.4,
  payAfterUpheld: 0.75,
} as const;
export type Quirk = (typeof NORMAL.quirks)[number][0];

const OTHER_REJECTION_TEXTS = ['vehicle obscured by a bus', 'photo overexposed', 'plate covered with snow', 'two vehicles in the frame'];
const CANCELLATION_REASONS = [
  ['vehicle_stolen', 'vehicle reported stolen before the offence', LEGAL_BASIS.wrongSubject],
  ['vehicle_sold', 'vehicle sold before the offence; new owner identified', LEGAL_BASIS.wrongSubject],
  ['documents_presented', 'owner presented a valid exemption document', LEGAL_BASIS.noOffence],
  ['duplicate_notice', 'a second notice for the same offence', LEGAL_BASIS.noOffence],
] as const;

export function randomCancellationReason(rng: Rng): { reasonCode: string; reasonText: string; legalBasis: string } {
  const [reasonCode, reasonText, legalBasis] = rng.pick(CANCELLATION_REASONS);
  return { reasonCode, reasonText, legalBasis };
}

/** The queue: a random reviewer of the camera's unit who is on shift now and not about to be away. */
export function pickReviewer(unit: Unit, at: number, rng: Rng): Officer {
  const pool = unit.reviewersByHour[hourOfWeek(at)] ?? [];
  for (let attempt = 0; attempt < 12 && pool.length > 0; attempt += 1) {
    const officer = rng.pick(pool);
    if (!absentDuring(officer, at, at + 8 * DAY)) return officer;
  }
  const present = unit.reviewers.filter((o) => !absentDuring(o, at, at + 8 * DAY));
  return rng.pick(present.length > 0 ? present : unit.reviewers);
}

export function assignFromQueue(story: Story): void {
  const at = story.detectedAt + story.rng.between(30 * SECOND, 10 * MINUTE);
  story.assign(pickReviewer(story.unit, at, story.rng), at);
}

/**
 * When the assigned reviewer signs: mostly within the same shift, otherwise in one of
 * their next shifts (minutes to a few days). A night-signing habit moves it to the
 * small hours instead, outside a day shift.
 */
export function decisionTime(story: Story, officer: Officer, options: { nightShare?: number; fast?: boolean } = {}): number {
  const { rng } = story;
  const assigned = story.assignedAt;
  if (options.nightShare !== undefined && rng.chance(options.nightShare)) {
    const night = localMidnight(assigned) + rng.int(1, 2) * DAY + rng.between(0, 5 * HOUR);
    return story.act(officer, night);
  }
  const window = shiftWindowAt(officer, assigned) ?? { start: assigned, end: assigned + 2 * HOUR };
  if (options.fast === true || rng.chance(0.6)) {
    const t = assigned + 20 * SECOND + rng.expo(options.fast === true ? 15 * MINUTE : 30 * MINUTE);
    if (t <= window.end - 10 * MINUTE) return story.act(officer, t);
    if (options.fast === true) return story.act(officer, Math.max(assigned + 20 * SECOND, window.end - 10 * MINUTE - rng.between(0, 5 * MINUTE)));
  }
  const later = shiftWindowsAfter(officer, window.end, 3);
  const k = rng.weighted([[0, 70], [1, 20], [2, 10]] as const);
  const w = later[Math.min(k, later.length - 1)];
  if (w === undefined) return story.act(officer, assigned + rng.between(MINUTE, HOUR));
  return story.act(officer, w.start + 10 * MINUTE + rng.next() * (w.end - w.start - 30 * MINUTE));
}

/** Draws what is physically wrong with a detection, and makes the detection show it. */
export function drawQuirk(story: Story, previous: PreviousDetection | undefined): Quirk {
  let quirk = story.rng.weighted(NORMAL.quirks);
  if (quirk === 'duplicate' && previous === undefined) quirk = 'camera_error';
  if (quirk === 'duplicate' && previous !== undefined) {
    // The same car, same camera, a second or two later: the system fired twice.
    story.camera = previous.camera;
    story.vehicle = previous.vehicle;
    story.plateReceived = previous.plateReceived;
    story.plate = previous.plateReceived;
    story.excess = previous.excess;
    story.currentExcess = previous.excess;
    story.detectedAt = Math.min(story.detectedAt, previous.at + story.rng.between(SECOND, 3 * SECOND));
  }
  if (quirk === 'plate_misread' || quirk === 'misread_fixed') {
    story.plateReceived = story.model.register.misread(story.vehicle.plate, story.rng);
    story.plate = story.plateReceived;
  }
  return quirk;
}

export interface PreviousDetection {
  camera: Story['camera'];
  vehicle: Story['vehicle'];
  plateReceived: string;
  excess: number;
  at: number;
}

export type ReviewResult = 'confirmed' | 'rejected' | 'sat' | 'held';

/** The assigned officer reviews as they do: honestly, or bent by their behaviour. */
export function naturalReview(story: Story, quirk: Quirk, behaviour: Behaviour | undefined, extraSitShare = 0): ReviewResult {
  const officer = story.assignedTo as Officer;
  const { rng } = story;
  if (rng.chance(Math.max(behaviour?.sitShare ?? NORMAL.sit, extraSitShare))) return 'sat';
  const at = decisionTime(story, officer, behaviour?.nightShare === undefined ? {} : { nightShare: behaviour.nightShare });

  if (quirk === 'camera_error' || quirk === 'plate_misread' || quirk === 'duplicate' || quirk === 'other') {
    story.reject(officer, at, quirk, quirk === 'other' ? rng.pick(OTHER_REJECTION_TEXTS) : undefined);
    return 'rejected';
  }
  if (behaviour?.rejectShare !== undefined && rng.chance(behaviour.rejectShare)) {
    // Rejected although nothing is wrong with the detection: the plate is registered and readable.
    const reason: RejectionReason = rng.weighted([['camera_error', 5], ['plate_misread', 3], ['other', 2]] as const);
    story.reject(officer, at, reason, reason === 'other' ? rng.pick(OTHER_REJECTION_TEXTS) : undefined);
    return 'rejected';
  }

  let signAt = at;
  const lateFix = quirk === 'misread_fixed' && rng.chance(NORMAL.lateFixShare);
  if (quirk === 'misread_fixed' && !lateFix) {
    story.editPlate(officer, signAt, story.vehicle.plate, 'plate misread by the camera; corrected from the photo');
    signAt = story.act(officer, signAt + rng.between(12 * SECOND, 60 * SECOND));
  }
  const edge = BAND_EDGES.filter((e) => e < story.currentExcess).pop();
  if (behaviour?.downgradeShare !== undefined && edge !== undefined && rng.chance(behaviour.downgradeShare)) {
    const last = story.editSpeed(officer, signAt, edge - rng.int(1, 2), 'measurement tolerance applied');
    signAt = story.act(officer, last + rng.between(12 * SECOND, 60 * SECOND));
  } else if (story.currentExcess >= 16 && rng.chance(NORMAL.toleranceEdit)) {
    const last = story.editSpeed(officer, signAt, story.currentExcess - rng.int(2, 5), 'device tolerance per calibration certificate');
    signAt = story.act(officer, last + rng.between(12 * SECOND, 60 * SECOND));
  }
  story.confirm(officer, signAt);
  if (lateFix) {
    const fixAt = story.act(officer, laterInShift(officer, signAt, rng.between(5 * MINUTE, 90 * MINUTE)));
    story.editPlate(officer, fixAt, story.vehicle.plate, 'plate misread by the camera; corrected from the photo');
  }
  return 'confirmed';
}

/** The register issues the notice in its next batch, 2-30 hours after the confirmation. */
export function issueNoticeNormally(story: Story, options: { ownerless?: boolean } = {}): void {
  story.issueNotice((story.confirmedAt ?? story.detectedAt) + story.rng.between(2 * HOUR, 30 * HOUR), options);
}

export function naturalAfterConfirm(story: Story): void {
  const { rng } = story;
  const officer = story.assignedTo as Officer;
  const confirmedAt = story.confirmedAt as number;
  if (rng.chance(NORMAL.withdraw)) {
    const window = shiftWindowAt(officer, confirmedAt);
    const at = confirmedAt + rng.between(10 * MINUTE, 40 * MINUTE);
    if (window !== undefined && at < window.end - 5 * MINUTE) {
      story.cancel({ by: officer, at: story.act(officer, at), reasonCode: 'confirmed_in_error', reasonText: 'confirmed by mistake; photo shows no offence', legalBasis: LEGAL_BASIS.reviewError });
      return;
    }
  }
  issueNoticeNormally(story);
  if (rng.chance(NORMAL.undelivered)) return;
  story.deliver();
  naturalOutcome(story);
}

export function naturalOutcome(story: Story): void {
  switch (story.rng.weighted(NORMAL.outcomes)) {
    case 'pay':
      return payNormally(story);
    case 'appeal':
      return appealNormally(story);
    case 'cancel':
      return cancelNormally(story);
    case 'enforce':
      return enforceNormally(story);
  }
}

/** Most payers pay within the discount week, the rest before the 30-day deadline. */
export function payNormally(story: Story, options: { treasury?: boolean } = {}): void {
  const { rng } = story;
  const notice = story.noticeAt as number;
  const delivered = story.deliveredAt ?? notice;
  const discountEnd = notice + DEADLINES.discount - HOUR;
  if (rng.chance(NORMAL.discountShare) && delivered + 10 * MINUTE < discountEnd) {
    const quick = delivered + 10 * MINUTE + rng.expo(1.5 * DAY);
    story.pay(quick < discountEnd ? quick : rng.between(delivered + 10 * MINUTE, discountEnd), options);
    return;
  }
  story.pay(notice + DEADLINES.discount + rng.between(HOUR, 22 * DAY), options);
}

export function appealNormally(story: Story): void {
  const { rng } = story;
  const delivered = story.deliveredAt ?? (story.noticeAt as number);
  const appealedAt = delivered + rng.between(HOUR, 10 * DAY);
  const appealRef = story.appeal(appealedAt);
  const decidedAt = appealedAt + rng.between(10 * DAY, 45 * DAY);
  if (rng.chance(NORMAL.overturned)) {
    story.decideAppeal(decidedAt, appealRef, 'overturned');
    const officer = story.appealsOfficer();
    const at = story.act(officer, workTimeFrom(officer, decidedAt + rng.between(2 * HOUR, 3 * DAY), rng));
    story.cancel({ by: officer, at, reasonCode: 'appeal_granted', reasonText: 'court set the decision aside', legalBasis: LEGAL_BASIS.appealGranted, reference: appealRef });
    return;
  }
  story.decideAppeal(decidedAt, appealRef, 'upheld');
  if (rng.chance(NORMAL.payAfterUpheld)) story.pay(decidedAt + rng.between(DAY, 10 * DAY));
  else story.enforce(decidedAt + rng.between(31 * DAY, 45 * DAY));
}

/** A lawful cancellation: a supervisor, a stated reason and legal basis, clear of deadlines. */
export function cancelNormally(story: Story): void {
  const officer = story.supervisor();
  story.cancel({ by: officer, at: story.safeCancelTime(officer), ...randomCancellationReason(story.rng) });
}

export function enforceNormally(story: Story): void {
  story.enforce((story.noticeAt as number) + story.rng.between(31 * DAY, 50 * DAY));
}
