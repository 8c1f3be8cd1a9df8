import { Rng, STREAM, mixSeed, searchCumulative } from '../random.js';
import { HOUR, MINUTE, localHour, localWeekday } from '../time.js';
import type { Camera, CameraNetwork } from './cameras.js';
import type { Vehicle, VehicleRegister } from './vehicles.js';

/**
 * Who is caught where and when. Violation i's detection is a pure function of (seed, i):
 * the plan can look at any violation before the stream reaches it (to pick the ones a
 * scheme takes over), and the stream can regenerate it without remembering anything.
 *
 * Detection times are stratified: violation i falls in the i-th of N equal slices of
 * the city's traffic, warped by a daily profile (rush hours busy, nights quiet), so
 * times increase with i and a time window maps back to a range of indices.
 */

/** Relative traffic by local hour of day. */
const HOURLY = [0.25, 0.18, 0.14, 0.12, 0.14, 0.3, 0.7, 1.3, 1.7, 1.5, 1.2, 1.1, 1.1, 1.1, 1.15, 1.25, 1.45, 1.75, 1.7, 1.35, 1.0, 0.8, 0.55, 0.38];
const WEEKEND = 0.85;
/** Mean excess over the tolerance (km/h): about a third of detections are above +20. */
const MEAN_EXCESS_OVER_TOLERANCE = 9;

export interface Detection {
  index: number;
  at: number;
  camera: Camera;
  vehicle: Vehicle;
  /** Measured speed minus the posted limit, km/h; always above the 10 km/h tolerance. */
  excess: number;
  /** A uniform draw that decides how the plate is rendered (Latin, Cyrillic, spaced). */
  renderDraw: number;
}

export class Traffic {
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(
    private readonly seed: number,
    readonly violations: number,
    readonly start: number,
    readonly end: number,
    private readonly cameras: CameraNetwork,
    private readonly register: VehicleRegister,
  ) {
    const slots = Math.ceil((end - start) / HOUR);
    this.cumulative = new Float64Array(slots);
    let total = 0;
    for (let k = 0; k < slots; k += 1) {
      const at = start + k * HOUR;
      const width = Math.min(HOUR, end - at) / HOUR;
      total += (HOURLY[localHour(at)] as number) * (localWeekday(at) >= 6 ? WEEKEND : 1) * width;
      this.cumulative[k] = total;
    }
    this.total = total;
  }

  private rngFor(i: number): Rng {
    return new Rng(mixSeed(this.seed, STREAM.traffic, i));
  }

  private timeAt(share: number): number {
    const x = share * this.total;
    const k = searchCumulative(this.cumulative, x);
    const before = k > 0 ? (this.cumulative[k - 1] as number) : 0;
    const weight = (this.cumulative[k] as number) - before;
    const slotStart = this.start + k * HOUR;
    const width = Math.min(HOUR, this.end - slotStart);
    return Math.min(this.end - MINUTE, Math.floor(slotStart + (weight > 0 ? (x - before) / weight : 0) * width));
  }

  /** Share of the span's traffic before t, in [0, 1]. */
  private shareBefore(t: number): number {
    if (t <= this.start) return 0;
    if (t >= this.end) return 1;
    const k = Math.floor((t - this.start) / HOUR);
    const before = k > 0 ? (this.cumulative[k - 1] as number) : 0;
    const slotStart = this.start + k * HOUR;
    const width = Math.min(HOUR, this.end - slotStart);
    return (before + (((this.cumulative[k] as number) - before) * (t - slotStart)) / width) / this.total;
  }

  /** When violation i was detected (cheap: one draw). */
  timeOf(i: number): number {
    return this.timeAt((i + this.rngFor(i).next()) / this.violations);
  }

  /** Indices whose detection may fall in [from, to): a superset by one at each end; check timeOf. */
  indexRange(from: number, to: number): { lo: number; hi: number } {
    const lo = Math.max(0, Math.floor(this.shareBefore(from) * this.violations) - 1);
    const hi = Math.min(this.violations, Math.ceil(this.shareBefore(to) * this.violations) + 1);
    return { lo, hi };
  }

  /** Violation i's detection as random traffic produces it, before any scheme takes it over. */
  draw(i: number): Detection {
    const rng = this.rngFor(i);
    const at = this.timeAt((i + rng.next()) / this.violations);
    const camera = this.cameras.cameras[searchCumulative(this.cameras.cumulative, rng.next() * (this.cameras.cumulative[this.cameras.cumulative.length - 1] as number))] as Camera;
    const vehicle = this.register.sample(rng.next());
    const excess = Math.min(110, 11 + Math.floor(rng.expo(MEAN_EXCESS_OVER_TOLERANCE)));
    return { index: i, at, camera, vehicle, excess, renderDraw: rng.next() };
  }
}
