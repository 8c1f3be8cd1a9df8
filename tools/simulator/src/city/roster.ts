import type { Absence, OfficerRecord, OfficerRole, Shift } from '@qadaga/domain';
import { Rng } from '../random.js';
import { DAY, HOUR, MINUTE, hourOfWeek, hourStart, iso, localMidnight } from '../time.js';

/**
 * The people of the administrative-practice units: who reviews, who may cancel, and
 * when each of them works. Rules judge "off shift", "on leave" and "peer group" against
 * this roster, so the simulator must keep every normal action inside it.
 */

export const UNIT_CODES = ['AP-1', 'AP-2', 'AP-3', 'AP-4', 'AP-5', 'AP-6'] as const;

/** Four reviewer crews cover every hour of the week (Thursday is the handover day, double-staffed). */
const CREWS = {
  'day-a': { days: [1, 2, 3, 4], startHour: 8, endHour: 20 },
  'day-b': { days: [4, 5, 6, 7], startHour: 8, endHour: 20 },
  'night-a': { days: [1, 2, 3, 4], startHour: 20, endHour: 8 },
  'night-b': { days: [4, 5, 6, 7], startHour: 20, endHour: 8 },
  office: { days: [1, 2, 3, 4, 5], startHour: 8, endHour: 20 },
} as const satisfies Record<string, Shift>;
export type Crew = keyof typeof CREWS;
/** Crews in the order reviewers are dealt to them: more day than night staff. */
const REVIEWER_DEAL: readonly Crew[] = ['day-a', 'day-b', 'night-a', 'night-b', 'day-a', 'day-b'];

export interface Officer {
  id: string;
  unit: string;
  role: OfficerRole;
  crew: Crew;
  shift: Shift;
  /** The one terminal this officer normally signs from. */
  workstation: string;
  absences: Absence[];
  /** Absences as [from, to) instants; to is Infinity for a dismissal. */
  absentSpans: { from: number; to: number }[];
  /** 1 where the officer is on shift in that hour of the local week (0-167). */
  onShiftHours: Uint8Array;
}

export interface Unit {
  code: string;
  reviewers: Officer[];
  supervisors: Officer[];
  appealsDesk: Officer[];
  /** On-shift reviewers for each hour of the week: the queue assigns among these. */
  reviewersByHour: Officer[][];
}

export interface Roster {
  units: Unit[];
  officers: Officer[];
  byId: ReadonlyMap<string, Officer>;
}

function shiftHours(shift: Shift): Uint8Array {
  const hours = new Uint8Array(168);
  const length = shift.endHour > shift.startHour ? shift.endHour - shift.startHour : 24 - shift.startHour + shift.endHour;
  for (const day of shift.days) {
    const start = (day - 1) * 24 + shift.startHour;
    for (let h = 0; h < length; h += 1) hours[(start + h) % 168] = 1;
  }
  return hours;
}

function makeOfficer(id: string, unit: string, role: OfficerRole, crew: Crew, workstation: string): Officer {
  const shift: Shift = { days: [...CREWS[crew].days], startHour: CREWS[crew].startHour, endHour: CREWS[crew].endHour };
  return { id, unit, role, crew, shift, workstation, absences: [], absentSpans: [], onShiftHours: shiftHours(shift) };
}

/** Records an absence both as reference data and as the span the simulator checks. */
export function addAbsence(officer: Officer, kind: Absence['kind'], from: number, to?: number): void {
  officer.absences.push(to === undefined ? { kind, from: iso(from) } : { kind, from: iso(from), to: iso(to) });
  officer.absentSpans.push({ from, to: to ?? Infinity });
}

export function buildRoster(rng: Rng, start: number, end: number): Roster {
  const deskUnits = new Set(rng.shuffle([...UNIT_CODES]).slice(0, 2));
  const units: Unit[] = UNIT_CODES.map((code, u) => {
    const n = u + 1;
    const size = rng.int(15, 25);
    const reviewers = Array.from({ length: size }, (_, k) => {
      const nn = String(k + 1).padStart(2, '0');
      return makeOfficer(`OF-${n}${nn}`, code, 'reviewer', REVIEWER_DEAL[k % REVIEWER_DEAL.length] as Crew, `WS-${n}-${nn}`);
    });
    const supervisors = [91, 92].map((k) => makeOfficer(`OF-${n}${k}`, code, 'supervisor', 'office', `WS-${n}-${k}`));
    const appealsDesk = deskUnits.has(code) ? [makeOfficer(`OF-${n}95`, code, 'appeals_desk', 'office', `WS-${n}-95`)] : [];
    return { code, reviewers, supervisors, appealsDesk, reviewersByHour: [] };
  });

  // A few reviewers take two to three weeks of leave; one is dismissed part-way through.
  const span = end - start;
  for (const unit of units) {
    for (const officer of unit.reviewers) {
      if (!rng.chance(0.1)) continue;
      const from = localMidnight(start + rng.between(0.05, 0.9) * span);
      addAbsence(officer, 'leave', from, from + rng.int(14, 24) * DAY);
    }
  }
  const dismissed = rng.pick(rng.pick(units).reviewers.filter((o) => o.absences.length === 0));
  addAbsence(dismissed, 'dismissed', localMidnight(start + rng.between(0.55, 0.7) * span));

  for (const unit of units) refreshQueue(unit);
  const officers = units.flatMap((u) => [...u.reviewers, ...u.supervisors, ...u.appealsDesk]);
  return { units, officers, byId: new Map(officers.map((o) => [o.id, o])) };
}

/** Rebuilds a unit's per-hour queue pools (after the plan changes who works). */
export function refreshQueue(unit: Unit): void {
  unit.reviewersByHour = Array.from({ length: 168 }, (_, h) => unit.reviewers.filter((o) => o.onShiftHours[h] === 1));
}

export function toOfficerRecord(officer: Officer): OfficerRecord {
  return { id: officer.id, unit: officer.unit, role: officer.role, shift: officer.shift, absences: officer.absences };
}

export function isAbsent(officer: Officer, t: number): boolean {
  for (const span of officer.absentSpans) if (t >= span.from && t < span.to) return true;
  return false;
}

export function absentDuring(officer: Officer, from: number, to: number): boolean {
  for (const span of officer.absentSpans) if (span.from < to && span.to > from) return true;
  return false;
}

export function onShift(officer: Officer, t: number): boolean {
  return officer.onShiftHours[hourOfWeek(t)] === 1;
}

export interface Window {
  start: number;
  end: number;
}

/** The shift window containing t, or undefined when the officer is off shift at t. */
export function shiftWindowAt(officer: Officer, t: number): Window | undefined {
  if (!onShift(officer, t)) return undefined;
  let start = hourStart(t);
  for (let k = 0; k < 24 && onShift(officer, start - HOUR); k += 1) start -= HOUR;
  let end = hourStart(t) + HOUR;
  for (let k = 0; k < 24 && onShift(officer, end); k += 1) end += HOUR;
  return { start, end };
}

/** The next `count` shift windows that start at or after t (at most three weeks ahead). */
export function shiftWindowsAfter(officer: Officer, t: number, count: number): Window[] {
  const windows: Window[] = [];
  let h = hourStart(t);
  if (h < t) h += HOUR;
  const limit = h + 21 * DAY;
  while (windows.length < count && h < limit) {
    if (onShift(officer, h) && !onShift(officer, h - HOUR)) {
      const window = shiftWindowAt(officer, h);
      if (window !== undefined) windows.push(window);
      h = window === undefined ? h + HOUR : window.end;
    } else h += HOUR;
  }
  return windows;
}

/**
 * A time at or after t when the officer is at work (on shift, not absent), at least
 * `margin` inside the window: where a supervisor's or reviewer's later action lands.
 */
export function workTimeFrom(officer: Officer, t: number, rng: Rng, margin = 20 * MINUTE): number {
  const current = shiftWindowAt(officer, t);
  if (current !== undefined && t >= current.start + margin && t <= current.end - margin && !isAbsent(officer, t)) return t;
  let from = t;
  for (let attempt = 0; attempt < 30; attempt += 1) {
    for (const w of shiftWindowsAfter(officer, from, 6)) {
      const at = w.start + margin + rng.next() * Math.min(3 * HOUR, w.end - w.start - 2 * margin);
      if (!isAbsent(officer, at)) return at;
    }
    from += 21 * DAY;
  }
  return t;
}

/** The latest time at or before t when the officer is at work: for actions that must precede a moment. */
export function workTimeBefore(officer: Officer, t: number, rng: Rng, margin = 20 * MINUTE): number {
  let h = hourStart(t);
  const limit = t - 21 * DAY;
  while (h > limit) {
    const w = shiftWindowAt(officer, h);
    if (w === undefined) {
      h -= HOUR;
      continue;
    }
    const latest = Math.min(t, w.end - margin);
    const earliest = w.start + margin;
    if (latest > earliest) {
      const at = latest - rng.next() * Math.min(2 * HOUR, latest - earliest);
      if (!isAbsent(officer, at)) return at;
    }
    h = w.start - HOUR;
  }
  return t;
}

/** from + delay, but not past the end of the officer's current shift window (two minutes' margin). */
export function laterInShift(officer: Officer, from: number, delay: number): number {
  const w = shiftWindowAt(officer, from);
  return w === undefined ? from + delay : Math.max(from, Math.min(from + delay, w.end - 2 * MINUTE));
}
