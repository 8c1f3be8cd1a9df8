import type { GroundTruth, LifecycleEvent, ReferenceData, SubjectRef } from '@qadaga/domain';
import { buildCameras, toCameraRecord } from './city/cameras.js';
import type { CityModel } from './city/model.js';
import { buildRoster, toOfficerRecord } from './city/roster.js';
import { SOURCE_RECORDS } from './city/sources.js';
import { Traffic } from './city/traffic.js';
import { VehicleRegister } from './city/vehicles.js';
import { StoryTeller, type OverdueOmission } from './lifecycle/tell.js';
import { plantAll } from './plan/plant-all.js';
import { Planner } from './plan/planner.js';
import { Rng, STREAM, mixSeed } from './random.js';
import { addMonths } from './time.js';

export interface SimulateCityOptions {
  seed: number;
  /** Detections over the span; each becomes one violation with its lifecycle. */
  violations: number;
  /** The simulated "now": nothing recorded after it is emitted. Default 2026-10-31T19:00:00Z (midnight in Almaty). */
  end?: string;
  /** Length of the span before `end`, in calendar months. Default 12. */
  months?: number;
  /** Prefix of violation references (default "ALA"), to load several cities side by side. */
  refPrefix?: string;
}

export interface CityStats {
  violations: number;
  events: number;
}

export interface SimulatedCity {
  reference: ReferenceData;
  /**
   * What was planted, plus the omissions the city made in its ordinary course (notices it
   * never delivered, detections it left to sit) that are overdue by the end: those are
   * real omissions the completeness rules must find. They are known once the stream has
   * been told, so reading this first tells it once, like stats().
   */
  readonly truth: GroundTruth;
  /** A fresh, deterministic stream on every call; events are grouped by violation, in detection order. */
  events(): Generator<LifecycleEvent>;
  /** Counts from the last complete iteration (iterates once, counting, if there was none). */
  stats(): CityStats;
}

export const DEFAULT_END = '2026-10-31T19:00:00Z';

/** Register size: about one vehicle per two detections, so repeat offenders emerge. */
function registerSize(violations: number): number {
  return Math.min(250_000, Math.max(600, Math.round(violations * 0.45)));
}

/**
 * A deterministic simulated city: roster, cameras, vehicle register, dispatches, and a
 * lifecycle stream with every scheme of SCHEMES and every look-alike of LOOKALIKES
 * planted, plus the ground truth naming their subjects.
 *
 * Everything but the events is built here, eagerly; the events are generated lazily,
 * one violation at a time, so a stream of any length runs in flat memory.
 */
export function simulateCity(options: SimulateCityOptions): SimulatedCity {
  const { seed, violations } = options;
  if (!Number.isInteger(violations) || violations < 1) throw new RangeError(`violations must be a positive integer, got ${violations}`);
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const end = Date.parse(options.end ?? DEFAULT_END);
  if (Number.isNaN(end)) throw new RangeError(`end is not an ISO instant: ${options.end}`);
  const months = options.months ?? 12;
  if (!Number.isInteger(months) || months < 3) throw new RangeError(`months must be an integer of at least 3, got ${months}`);
  const start = addMonths(end, -months);

  const cameras = buildCameras(new Rng(mixSeed(seed, STREAM.cameras)));
  const register = new VehicleRegister(new Rng(mixSeed(seed, STREAM.vehicles)), registerSize(violations));
  const roster = buildRoster(new Rng(mixSeed(seed, STREAM.roster)), start, end);
  const model: CityModel = {
    seed,
    violations,
    start,
    end,
    refPrefix: options.refPrefix ?? 'ALA',
    roster,
    units: new Map(roster.units.map((u) => [u.code, u])),
    cameras,
    register,
    traffic: new Traffic(seed, violations, start, end, cameras, register),
    dispatches: [],
  };
  const planner = new Planner(model);
  const planted = plantAll(planner);
  const reference: ReferenceData = {
    sources: SOURCE_RECORDS.map((s) => ({ ...s })),
    officers: roster.officers.map(toOfficerRecord),
    vehicles: register.toRecords(),
    cameras: cameras.cameras.map(toCameraRecord),
    dispatches: model.dispatches,
  };

  let last: CityStats | undefined;
  let overdue: OverdueOmission[] | undefined;
  function* events(): Generator<LifecycleEvent> {
    const teller = new StoryTeller(model, planner);
    let count = 0;
    for (let i = 0; i < violations; i += 1) {
      for (const event of teller.tell(i)) {
        count += 1;
        yield event;
      }
    }
    last = { violations, events: count };
    overdue = teller.overdue;
  }
  const tellOnce = () => {
    if (last === undefined) for (const _ of events()) void _;
  };
  let complete: GroundTruth | undefined;

  return {
    reference,
    get truth() {
      tellOnce();
      complete ??= withOverdueOmissions(planted, overdue ?? []);
      return complete;
    },
    events,
    stats() {
      tellOnce();
      return last as CityStats;
    },
  };
}

/** The planted subjects of each completeness scheme first, then the city's own overdue omissions not among them. */
function withOverdueOmissions(truth: GroundTruth, overdue: readonly OverdueOmission[]): GroundTruth {
  return {
    ...truth,
    schemes: truth.schemes.map((entry) => {
      const known = new Set(entry.subjects.map((s) => s.id));
      const added: SubjectRef[] = [];
      for (const o of overdue) {
        if (o.scheme !== entry.scheme || known.has(o.ref)) continue;
        known.add(o.ref);
        added.push({ kind: 'violation', id: o.ref });
      }
      return added.length === 0 ? entry : { ...entry, subjects: [...entry.subjects, ...added] };
    }),
  };
}
