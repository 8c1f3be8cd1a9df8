import type { EventType } from './events.js';

/**
 * What a source system actually sends, learned from the ledger: which lifecycle steps it
 * reports and how finely it times them. A rule may only judge what a source could have
 * said: a register that never reports deliveries has not "failed to deliver" anything, and
 * a register that dates its events (every time at local midnight) cannot show a decision
 * signed two seconds after the previous one.
 */

/**
 * How finely a source's times are known:
 * - `instant`: to the second or better;
 * - `minute`: whole minutes only (an export that drops the seconds);
 * - `day`: the date alone (every time at the same time of day, usually local midnight);
 * - `unknown`: too few events to tell; judged as an instant, since nothing says otherwise.
 */
export const TIME_PRECISIONS = ['instant', 'minute', 'day', 'unknown'] as const;
export type TimePrecision = (typeof TIME_PRECISIONS)[number];

/** What the ledger says of one source's times, from which its precision is classified. */
export interface TimeStatistics {
  /** Events counted. */
  events: number;
  /** Of those, events at a whole minute (no seconds, no milliseconds). */
  wholeMinutes: number;
  /**
   * Of those, the events at the source's most common time of day (in UTC, to the minute),
   * plus those at the most common time of day one hour from it: a date-only source in a
   * zone with daylight saving puts its midnights at two UTC times of day an hour apart.
   */
  atCommonTimeOfDay: number;
}

/**
 * Share of a source's events that must agree for the source to be classified coarser
 * than an instant. 99 % rather than all: one hand-corrected time in an export of dates
 * does not make its dates instants.
 */
export const PRECISION_AGREEMENT = 0.99;

/**
 * Fewest events from which a precision is classified. Below, one or two events sharing a
 * time of day by chance would make a source look date-only.
 */
export const MIN_EVENTS_TO_CLASSIFY = 20;

/**
 * The precision of a source's times. The ledger holds UTC instants, and a date-only
 * source's midnight is local, so "day" is not "at 00:00 UTC" but "every event at the same
 * time of day", whatever the zone's offset. Checked from the coarsest down: a date-only
 * source's times are whole minutes too.
 */
export function classifyTimePrecision(stats: TimeStatistics): TimePrecision {
  if (stats.events < MIN_EVENTS_TO_CLASSIFY) return 'unknown';
  if (stats.atCommonTimeOfDay >= PRECISION_AGREEMENT * stats.events) return 'day';
  if (stats.wholeMinutes >= PRECISION_AGREEMENT * stats.events) return 'minute';
  return 'instant';
}

/** One source system as its events describe it. */
export interface SourceProfile {
  source: string;
  /** Events the source sent, per lifecycle type; a type it never sent is absent. */
  eventTypes: Partial<Record<EventType, number>>;
  /** Events counted in total. */
  events: number;
  time: TimeStatistics;
  precision: TimePrecision;
  /** The source's first and last occurred_at (ISO instants) within the history the profile read (see sourceProfiles). */
  firstAt: string;
  lastAt: string;
}

/** What judging a fact takes of the source behind each item it counts. */
export type JudgementNeed =
  /** The source (or, for a violation, one of its sources) reports one of these types at all. */
  | { reports: readonly EventType[] }
  /** The source's times are at least this fine. */
  | { precision: 'instant' | 'minute' };

const FINENESS: Record<TimePrecision, number> = { day: 0, minute: 1, instant: 2, unknown: 2 };

/** Whether a source's times are fine enough: an unknown precision is given the benefit of the doubt. */
export function precisionSupports(precision: TimePrecision, needed: 'instant' | 'minute'): boolean {
  return FINENESS[precision] >= FINENESS[needed];
}

/** Whether a fact needing `need` can be judged on the data of the source profiled. */
export function profileSupports(profile: SourceProfile, need: JudgementNeed): boolean {
  if ('reports' in need) return need.reports.some((type) => (profile.eventTypes[type] ?? 0) > 0);
  return precisionSupports(profile.precision, need.precision);
}

/** The sources among `profiles` that can support `need`. */
export function sourcesSupporting(profiles: readonly SourceProfile[], need: JudgementNeed): string[] {
  return profiles.filter((p) => profileSupports(p, need)).map((p) => p.source);
}

/** The sources among `profiles` that cannot. */
export function sourcesNotSupporting(profiles: readonly SourceProfile[], need: JudgementNeed): string[] {
  return profiles.filter((p) => !profileSupports(p, need)).map((p) => p.source);
}

/**
 * The steps whose absence a completeness fact counts, and the event types that would
 * report each step had it happened. A violation is judged for a step only when one of the
 * sources that report its events reports the step's type at all.
 */
export const STEP_REPORTED_BY = {
  review: ['confirmed', 'rejected', 'cancelled'],
  notice: ['notice_issued'],
  delivery: ['notice_delivered'],
  treasury: ['paid'],
} as const satisfies Record<string, readonly EventType[]>;

/** Needs of the officer facts that read clocks: speed of decision and time of day. */
export const TIMING_NEEDS = {
  /** Seconds between two decisions, and two workstations within a minute. */
  speed: { precision: 'instant' },
  /** The hour a decision was signed. */
  timeOfDay: { precision: 'minute' },
} as const satisfies Record<string, JudgementNeed>;
