import type { LookalikeId, SchemeId, SubjectRef, VehicleKind } from '@qadaga/domain';
import type { Camera } from '../city/cameras.js';
import { violationRef, type CityModel } from '../city/model.js';
import { refreshQueue, type Officer, type Unit } from '../city/roster.js';
import type { Detection } from '../city/traffic.js';
import type { Vehicle } from '../city/vehicles.js';
import type { Behaviour, CameraWindow, Directive, PlanEffects, ShortageWindow } from '../lifecycle/directive.js';
import { Rng, STREAM, mixSeed } from '../random.js';
import { DAY } from '../time.js';

export interface PlantedScheme {
  scheme: SchemeId;
  subjects: SubjectRef[];
  note: string;
}

export interface PlantedLookalike {
  lookalike: LookalikeId;
  subjects: SubjectRef[];
  note: string;
}

/**
 * Decides, before any event is told, which violations, officers, vehicles and units
 * the schemes and look-alikes take over. Casting keeps roles apart (no officer plays
 * two schemes, no unit is both short-staffed and mass-cancelling), so each subject in
 * the ground truth is there for one reason only.
 */
export class Planner implements PlanEffects {
  readonly directives = new Map<number, Directive>();
  readonly behaviours = new Map<string, Behaviour>();
  readonly shortages: ShortageWindow[] = [];
  readonly cameraWindows: CameraWindow[] = [];
  readonly exactMarks: { officerId: string; at: number }[] = [];
  readonly rng: Rng;
  private readonly castOfficers = new Set<string>();
  private readonly castUnits = new Set<string>();
  /** Units whose reviewers are not cast for officer schemes (the short-staffed one). */
  readonly excludedUnits = new Set<string>();
  private readonly castVehiclesByTag = new Map<string, Vehicle[]>();

  constructor(readonly model: CityModel) {
    this.rng = new Rng(mixSeed(model.seed, STREAM.plan));
  }

  // ---- sizes: a handful of subjects, growing slowly with the city --------------------

  private get growth(): number {
    return Math.max(1, this.model.violations / 5_000);
  }

  /** Officers per officer scheme: 3 at 5,000 violations, 4 at 100,000, at most 6. */
  officerSubjects(): number {
    return Math.min(6, 3 + Math.floor(Math.log10(this.growth) * 1.5));
  }

  /** Violations per violation scheme: 4 at 5,000, about 18 at 100,000 (square-root growth). */
  violationSubjects(): number {
    return Math.max(4, Math.round(4 * Math.sqrt(this.growth)));
  }

  /** Vehicles per vehicle scheme: 3 at 5,000, 7 at 100,000, at most 12. */
  vehicleSubjects(): number {
    return Math.min(12, 3 + Math.floor(Math.log2(this.growth)));
  }

  // ---- time ------------------------------------------------------------------------

  /** Detections whose whole lifecycle (notice, deadlines, enforcement) fits before the end. */
  get lifecycleWindow(): { from: number; to: number } {
    const from = this.model.start + DAY;
    return { from, to: Math.max(from + DAY, this.model.end - 80 * DAY) };
  }

  // ---- violations --------------------------------------------------------------------

  ref(index: number): string {
    return violationRef(this.model, index);
  }

  draw(index: number): Detection {
    return this.model.traffic.draw(index);
  }

  private inCameraWindow(d: Detection): boolean {
    for (const w of this.cameraWindows) if (w.cameraId === d.camera.id && d.at >= w.from && d.at < w.to) return true;
    return false;
  }

  private acceptable(index: number, from: number, to: number, accept?: (d: Detection) => boolean): Detection | undefined {
    if (this.directives.has(index)) return undefined;
    const d = this.draw(index);
    if (d.at < from || d.at >= to || this.inCameraWindow(d)) return undefined;
    return accept === undefined || accept(d) ? d : undefined;
  }

  /** A violation detected in [from, to) that no one has taken yet (and that passes accept). */
  claim(from: number, to: number, accept?: (d: Detection) => boolean): Detection | undefined {
    const { lo, hi } = this.model.traffic.indexRange(from, to);
    if (hi <= lo) return undefined;
    for (let attempt = 0; attempt < 600; attempt += 1) {
      const d = this.acceptable(this.rng.int(lo, hi - 1), from, to, accept);
      if (d !== undefined) return d;
    }
    // Rare filters: walk a bounded stretch from a random point.
    const span = hi - lo;
    const first = this.rng.int(lo, hi - 1);
    for (let k = 0; k < Math.min(span, 50_000); k += 1) {
      const d = this.acceptable(lo + ((first - lo + k) % span), from, to, accept);
      if (d !== undefined) return d;
    }
    return undefined;
  }

  claimMany(n: number, from: number, to: number, accept?: (d: Detection) => boolean): Detection[] {
    const claimed: Detection[] = [];
    for (let k = 0; k < n; k += 1) {
      const d = this.claim(from, to, accept);
      if (d === undefined) break;
      // Reserve it at once so the next claim cannot take it again.
      this.directives.set(d.index, { tag: 'reserved' });
      claimed.push(d);
    }
    for (const d of claimed) this.directives.delete(d.index);
    return claimed;
  }

  direct(index: number, directive: Directive): void {
    if (this.directives.has(index)) throw new Error(`violation ${index} is already scripted by ${this.directives.get(index)?.tag}`);
    this.directives.set(index, directive);
  }

  /** An exact planned signature time; normal actions of the officer keep ten seconds away from it. */
  mark(officer: Officer, at: number): void {
    this.exactMarks.push({ officerId: officer.id, at });
  }

  // ---- casting -----------------------------------------------------------------------

  unit(code: string): Unit {
    return this.model.units.get(code) as Unit;
  }

  /** A unit no other unit-level role has taken. */
  castUnit(accept: (u: Unit) => boolean = () => true): Unit {
    const free = this.model.roster.units.filter((u) => !this.castUnits.has(u.code) && accept(u));
    const unit = this.rng.pick(free.length > 0 ? free : this.model.roster.units);
    this.castUnits.add(unit.code);
    return unit;
  }

  /**
   * A reviewer with no absences and no other role, from the unit with the fewest cast
   * so far (so no unit's peer baseline is made of schemers), preferably of a day crew.
   */
  castReviewer(accept: (o: Officer) => boolean = () => true): Officer {
    // Day crews see most of the traffic, so their habits show in the data soonest;
    // night crews are cast only when the day crews run out.
    const free = (o: Officer) => o.absences.length === 0 && !this.castOfficers.has(o.id) && !this.excludedUnits.has(o.unit) && accept(o);
    const dayCrew = (o: Officer) => free(o) && (o.crew === 'day-a' || o.crew === 'day-b');
    const eligible = this.model.roster.units.some((u) => u.reviewers.some(dayCrew)) ? dayCrew : free;
    const units = this.model.roster.units
      .map((u) => ({ u, cast: u.reviewers.filter((o) => this.castOfficers.has(o.id)).length, pool: u.reviewers.filter(eligible) }))
      .filter((x) => x.pool.length > 0);
    if (units.length === 0) throw new Error('no reviewer left to cast');
    const fewest = Math.min(...units.map((x) => x.cast));
    const choice = this.rng.pick(units.filter((x) => x.cast === fewest));
    const officer = this.rng.pick(choice.pool);
    this.castOfficers.add(officer.id);
    return officer;
  }

  /** Rebuilds the queue pools after an officer's absences changed. */
  refreshQueues(): void {
    for (const unit of this.model.roster.units) refreshQueue(unit);
  }

  /** Vehicles a scheme scripts entirely: reserved out of random traffic. Call before seal(). */
  castVehicles(tag: string, kind: VehicleKind, n: number, minWeight = 0): Vehicle[] {
    const vehicles: Vehicle[] = [];
    for (let k = 0; k < n; k += 1) {
      const v = this.model.register.pickUnreserved(this.rng, kind, minWeight);
      this.model.register.reserve(v);
      vehicles.push(v);
    }
    this.castVehiclesByTag.set(tag, vehicles);
    return vehicles;
  }

  vehiclesFor(tag: string): Vehicle[] {
    return this.castVehiclesByTag.get(tag) ?? [];
  }

  /** A camera of the unit (any unit when omitted) that no camera window covers. */
  camera(unit?: Unit): Camera {
    const cameras = unit === undefined ? this.model.cameras.cameras : (this.model.cameras.byUnit.get(unit.code) ?? []);
    const free = cameras.filter((c) => !this.cameraWindows.some((w) => w.cameraId === c.id));
    return this.rng.pick(free.length > 0 ? free : cameras);
  }

  /** The detection's camera if it belongs to the unit, else one of the unit's cameras. */
  cameraIn(unit: Unit, d: Detection): Camera {
    return d.camera.unit === unit.code ? d.camera : this.camera(unit);
  }

  between(from: number, to: number): number {
    return Math.floor(this.rng.between(from, to));
  }
}

export const officerSubject = (o: Officer): SubjectRef => ({ kind: 'officer', id: o.id });
export const unitSubject = (u: Unit | string): SubjectRef => ({ kind: 'unit', id: typeof u === 'string' ? u : u.code });
export const vehicleSubject = (v: Vehicle): SubjectRef => ({ kind: 'vehicle', id: v.key });
export const violationSubject = (ref: string): SubjectRef => ({ kind: 'violation', id: ref });
