import type { DispatchRecord } from '@qadaga/domain';
import type { CameraNetwork } from './cameras.js';
import type { Roster, Unit } from './roster.js';
import type { Traffic } from './traffic.js';
import type { VehicleRegister } from './vehicles.js';

/** Everything that exists in the city before any event happens. */
export interface CityModel {
  seed: number;
  violations: number;
  start: number;
  end: number;
  refPrefix: string;
  roster: Roster;
  units: ReadonlyMap<string, Unit>;
  cameras: CameraNetwork;
  register: VehicleRegister;
  traffic: Traffic;
  dispatches: DispatchRecord[];
}

/** The violation reference every source shares for violation i. */
export function violationRef(model: Pick<CityModel, 'refPrefix'>, index: number): string {
  return `${model.refPrefix}-${String(index).padStart(7, '0')}`;
}
