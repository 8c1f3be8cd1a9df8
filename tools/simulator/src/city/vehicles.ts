import { plateKey, type VehicleKind, type VehicleRecord } from '@qadaga/domain';
import { Rng, searchCumulative } from '../random.js';

/**
 * The vehicle register the detections draw their plates from. Detections per vehicle
 * are long-tailed (a Pareto weight, capped): most cars are caught once or twice a
 * year, a few repeat offenders dozens of times, and fleets more than private cars.
 */

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const REGIONS = [['02', 80], ['05', 8], ['01', 5], ['17', 3], ['03', 2], ['13', 2]] as const;
const KINDS = [['private', 88], ['leasing', 6], ['fleet', 5], ['special', 1]] as const satisfies readonly (readonly [VehicleKind, number])[];
const KIND_TRAFFIC: Readonly<Record<VehicleKind, number>> = { private: 1, leasing: 1.5, fleet: 3, special: 0.4 };
/** Caps the heaviest private repeat offender at roughly forty detections a year at any scale. */
const WEIGHT_CAP = 30;

/** Latin letters a camera or a clerk may render in Cyrillic; the key folds them back. */
const CYRILLIC: Readonly<Record<string, string>> = {
  A: 'А', B: 'В', C: 'С', E: 'Е', H: 'Н', K: 'К', M: 'М', O: 'О', P: 'Р', T: 'Т', X: 'Х', Y: 'У',
};
/** Characters recognition confuses: a misread plate differs from the real one in one of these. */
const CONFUSIONS: Readonly<Record<string, string>> = {
  '0': '8', '8': '0', '1': '7', '7': '1', '5': '6', '6': '5', '3': '8', '2': '7', '4': '1', '9': '8',
  O: 'D', D: 'O', E: 'F', F: 'E', P: 'R', R: 'P', M: 'N', N: 'M', B: 'E', C: 'G', G: 'C', H: 'N',
  K: 'X', X: 'K', U: 'V', V: 'U', I: 'T', T: 'I', W: 'V', Y: 'V', Z: 'L', L: 'Z', A: 'R', J: 'I', Q: 'O', S: 'Z',
};

export interface Vehicle {
  plate: string;
  key: string;
  kind: VehicleKind;
  ownerRef: string;
  weight: number;
}

export class VehicleRegister {
  readonly vehicles: Vehicle[] = [];
  readonly byKey = new Map<string, Vehicle>();
  private readonly reserved = new Set<Vehicle>();
  private cumulative: Float64Array | undefined;

  constructor(rng: Rng, size: number) {
    let fleetOwner = 0;
    let leasingOwner = 0;
    while (this.vehicles.length < size) {
      const plate = VehicleRegister.randomPlate(rng);
      if (this.byKey.has(plate)) continue;
      const kind = rng.weighted(KINDS);
      const index = this.vehicles.length;
      // Companies own many cars; private owners one. Owner refs are stable pseudonyms.
      if (kind === 'fleet' && rng.chance(0.08)) fleetOwner += 1;
      if (kind === 'leasing' && rng.chance(0.05)) leasingOwner += 1;
      const ownerRef =
        kind === 'fleet' ? `ORG-F${fleetOwner}` : kind === 'leasing' ? `ORG-L${leasingOwner}` : kind === 'special' ? 'ORG-DP-ALMATY' : `OWN-${(Math.imul(index + 1, 0x9e3779b1) >>> 0).toString(36).toUpperCase()}`;
      const pareto = Math.min(WEIGHT_CAP, Math.pow(1 - rng.next(), -1 / 1.5));
      const vehicle: Vehicle = { plate, key: plate, kind, ownerRef, weight: pareto * KIND_TRAFFIC[kind] };
      this.vehicles.push(vehicle);
      this.byKey.set(plate, vehicle);
    }
  }

  /** A plate in the current civil format; may collide with the register (callers check). */
  static randomPlate(rng: Rng, region?: string): string {
    const digits = String(rng.int(1, 999)).padStart(3, '0');
    let letters = '';
    for (let k = 0; k < 3; k += 1) letters += LETTERS[rng.int(0, 25)];
    return `${digits}${letters}${region ?? rng.weighted(REGIONS)}`;
  }

  /** A well-formed Almaty plate that no registered vehicle carries. */
  unregisteredPlate(rng: Rng): string {
    for (;;) {
      const plate = VehicleRegister.randomPlate(rng, '02');
      if (!this.byKey.has(plate)) return plate;
    }
  }

  isRegistered(received: string): boolean {
    return this.byKey.has(plateKey(received));
  }

  /** Takes a vehicle out of random traffic: a scheme or look-alike scripts all its detections. */
  reserve(vehicle: Vehicle): void {
    if (this.cumulative !== undefined) throw new Error('the register is sealed: reserve vehicles before traffic is drawn');
    this.reserved.add(vehicle);
  }

  isReserved(vehicle: Vehicle): boolean {
    return this.reserved.has(vehicle);
  }

  /** Picks an unreserved vehicle of a kind, preferring the heavier (more often caught) ones when asked. */
  pickUnreserved(rng: Rng, kind: VehicleKind, minWeight = 0): Vehicle {
    const candidates = this.vehicles.filter((v) => v.kind === kind && !this.reserved.has(v) && v.weight >= minWeight);
    const pool = candidates.length > 0 ? candidates : this.vehicles.filter((v) => !this.reserved.has(v));
    return rng.pick(pool);
  }

  /** Freezes the traffic weights; reserved vehicles are never drawn by chance. */
  seal(): void {
    const cumulative = new Float64Array(this.vehicles.length);
    let total = 0;
    this.vehicles.forEach((v, i) => {
      if (!this.reserved.has(v)) total += v.weight;
      cumulative[i] = total;
    });
    this.cumulative = cumulative;
  }

  /** The vehicle of a random detection, from a uniform draw u in [0, 1). */
  sample(u: number): Vehicle {
    const cumulative = this.cumulative;
    if (cumulative === undefined) throw new Error('seal the register before drawing traffic');
    const total = cumulative[cumulative.length - 1] as number;
    return this.vehicles[searchCumulative(cumulative, u * total)] as Vehicle;
  }

  toRecords(): VehicleRecord[] {
    return this.vehicles.map((v) => ({ plate: v.plate, kind: v.kind, ownerRef: v.ownerRef }));
  }

  /**
   * The plate as a recognition system or a clerk renders it: usually as registered,
   * sometimes with Cyrillic look-alike letters or spaces (same key, different text).
   */
  static render(plate: string, u: number): string {
    if (u < 0.03) return [...plate].map((ch) => CYRILLIC[ch] ?? ch).join('');
    if (u < 0.05) return `${plate.slice(0, 3)} ${plate.slice(3, 6)} ${plate.slice(6)}`;
    return plate;
  }

  /** The plate misread in one character, to a plate that is not registered. */
  misread(plate: string, rng: Rng): string {
    for (let attempt = 0; attempt < 12; attempt += 1) {
      const position = rng.int(0, 5);
      const ch = plate[position] as string;
      const swapped = CONFUSIONS[ch];
      if (swapped === undefined) continue;
      const candidate = plate.slice(0, position) + swapped + plate.slice(position + 1);
      if (!this.byKey.has(candidate)) return candidate;
    }
    return this.unregisteredPlate(rng);
  }
}
