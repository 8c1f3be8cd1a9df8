import { plateKey, type EventType, type LifecycleEvent, type LookalikeId, type OfficerRecord, type SchemeId, type Shift } from '@qadaga/domain';
import type { SimulatedCity } from '../city.js';

/**
 * A test's view of a simulated city: all events held in memory and indexed the way an
 * auditor would look at them. Judgements here (shift, absence, local time) are written
 * again from the reference data rather than imported from the simulator, so the tests
 * check the output against the published reference, not the generator against itself.
 */
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
const OFFSET = 5 * HOUR;

export type EventOf<T extends EventType> = Extract<LifecycleEvent, { type: T }>;

export const ms = (iso: string | undefined): number => (iso === undefined ? NaN : Date.parse(iso));
export const localHour = (t: number): number => new Date(t + OFFSET).getUTCHours();
/** ISO weekday 1-7 in local time. */
export const localWeekday = (t: number): number => ((new Date(t + OFFSET).getUTCDay() + 6) % 7) + 1;
export const localDate = (t: number): string => new Date(t + OFFSET).toISOString().slice(0, 10);

export function onShift(shift: Shift, t: number): boolean {
  const hour = localHour(t);
  const day = localWeekday(t);
  if (shift.startHour < shift.endHour) return shift.days.includes(day) && hour >= shift.startHour && hour < shift.endHour;
  const yesterday = day === 1 ? 7 : day - 1;
  return (shift.days.includes(day) && hour >= shift.startHour) || (shift.days.includes(yesterday) && hour < shift.endHour);
}

export function absent(officer: OfficerRecord, t: number): boolean {
  return officer.absences.some((a) => t >= ms(a.from) && (a.to === undefined || t < ms(a.to)));
}

export class CityView {
  readonly events: LifecycleEvent[];
  readonly byViolation = new Map<string, LifecycleEvent[]>();
  readonly officers: Map<string, OfficerRecord>;
  readonly registered: Set<string>;
  private readonly byType = new Map<EventType, LifecycleEvent[]>();

  constructor(readonly city: SimulatedCity) {
    this.events = [...city.events()];
    for (const e of this.events) {
      const list = this.byViolation.get(e.violationRef);
      if (list === undefined) this.byViolation.set(e.violationRef, [e]);
      else list.push(e);
      const typed = this.byType.get(e.type);
      if (typed === undefined) this.byType.set(e.type, [e]);
      else typed.push(e);
    }
    this.officers = new Map(city.reference.officers.map((o) => [o.id, o]));
    this.registered = new Set(city.reference.vehicles.map((v) => plateKey(v.plate)));
  }

  ofType<T extends EventType>(type: T): EventOf<T>[] {
    return (this.byType.get(type) ?? []) as EventOf<T>[];
  }

  of<T extends EventType>(ref: string, type: T): EventOf<T>[] {
    return (this.byViolation.get(ref) ?? []).filter((e): e is EventOf<T> => e.type === type);
  }

  has(ref: string, type: EventType): boolean {
    return (this.byViolation.get(ref) ?? []).some((e) => e.type === type);
  }

  detection(ref: string): EventOf<'detected'> {
    const d = this.of(ref, 'detected')[0];
    if (d === undefined) throw new Error(`no detection for ${ref}`);
    return d;
  }

  /** The plate key the violation is about: the detected plate, or the amended one before the notice. */
  plateKeyOf(ref: string): string {
    return plateKey(this.detection(ref).payload.plate ?? '');
  }

  schemeIds(id: SchemeId): string[] {
    return this.city.truth.schemes.find((s) => s.scheme === id)?.subjects.map((s) => s.id) ?? [];
  }

  lookalikeIds(id: LookalikeId): string[] {
    return this.city.truth.lookalikes.find((s) => s.lookalike === id)?.subjects.map((s) => s.id) ?? [];
  }

  /** Confirmations and rejections: the decisions an officer signs at review. */
  decisions(): (EventOf<'confirmed'> | EventOf<'rejected'>)[] {
    return [...this.ofType('confirmed'), ...this.ofType('rejected')];
  }

  officer(id: string): OfficerRecord {
    const o = this.officers.get(id);
    if (o === undefined) throw new Error(`unknown officer ${id}`);
    return o;
  }

  reviewers(unit?: string): OfficerRecord[] {
    return [...this.officers.values()].filter((o) => o.role === 'reviewer' && (unit === undefined || o.unit === unit));
  }
}

export function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list === undefined) map.set(k, [item]);
    else list.push(item);
  }
  return map;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
