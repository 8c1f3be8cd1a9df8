import type { RejectionReason } from '@qadaga/domain';
import type { Camera } from '../city/cameras.js';
import type { Officer } from '../city/roster.js';
import type { Vehicle } from '../city/vehicles.js';
import type { Story } from './story.js';

/**
 * How a scheme or look-alike takes over one violation. Anything left out follows the
 * city's normal course, so a directive states only what the scheme changes.
 */
export interface Directive {
  /** The scheme or look-alike that scripted this violation. */
  tag: string;
  camera?: Camera;
  vehicle?: Vehicle;
  /** The plate as the camera read it; defaults to the vehicle's plate. */
  plateReceived?: string;
  excess?: number;
  /** Force the queue: this officer, at this time (default: a few minutes after detection). */
  assign?: { officer: Officer; at?: number };
  review?: ReviewDirective;
  /**
   * What happens after the review (confirmed or held): the notice, payment, cancellation.
   * Without it, a confirmed violation follows the normal course.
   */
  after?: (story: Story) => void;
}

export type ReviewDirective =
  /** The assigned officer reviews as they normally would (their behaviour applies). */
  | { kind: 'natural' }
  /**
   * Confirmed without edits. `at` is an exact, pre-marked signature time; `fast`
   * decides within the hour; otherwise a normal delay.
   */
  | { kind: 'confirm'; at?: number; workstation?: string; fast?: boolean }
  | { kind: 'reject'; reason: RejectionReason; reasonText?: string }
  /** Assigned and never decided, so it expires. */
  | { kind: 'sit' }
  /** Assigned and left undecided; `after` must end it. */
  | { kind: 'hold' };

/** Per-officer habits that bend the normal course of everything the officer reviews. */
export interface Behaviour {
  /** Share of clean detections rejected anyway (normal reviewers reject only bad ones). */
  rejectShare?: number;
  /** Share of assigned detections left undecided until they expire. */
  sitShare?: number;
  /** Share of confirmations above +20 km/h whose speed is edited to just under a band edge. */
  downgradeShare?: number;
  /** Share of decisions signed at night, outside the officer's (day) shift. */
  nightShare?: number;
}

/** A stretch in which a whole unit cannot keep up: its detections expire whoever holds them. */
export interface ShortageWindow {
  unit: string;
  from: number;
  to: number;
  sitShare: number;
}

/** All detections of one camera in a window are scripted alike (a faulty camera voided by one act). */
export interface CameraWindow {
  cameraId: string;
  from: number;
  to: number;
  directive: Directive;
}

/** What the stream needs from the plan: everything it decided ahead, looked up per violation. */
export interface PlanEffects {
  directives: ReadonlyMap<number, Directive>;
  behaviours: ReadonlyMap<string, Behaviour>;
  shortages: readonly ShortageWindow[];
  cameraWindows: readonly CameraWindow[];
  /** Planned signatures at exact times (bursts), put on the officers' clocks before the stream starts. */
  exactMarks: readonly { officerId: string; at: number }[];
}
