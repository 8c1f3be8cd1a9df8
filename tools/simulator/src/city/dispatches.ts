import type { DispatchRecord } from '@qadaga/domain';
import type { Planner } from '../plan/planner.js';
import { DAY, HOUR, MINUTE, iso } from '../time.js';

/**
 * Emergency dispatches (reference data) and the honest emergency-vehicle rejections
 * they justify: about 0.2% of detections are special-service vehicles caught while on
 * a call, each covered by a dispatch record from before to after the detection. As
 * many again are dispatches with no detection at all, as real dispatch logs have.
 */
export function plantEmergencyDispatches(p: Planner): void {
  const register = p.model.register;
  const specials = register.vehicles.filter((v) => v.kind === 'special' && !register.isReserved(v));
  if (specials.length === 0) return;
  const dispatches: DispatchRecord[] = [];
  const n = Math.max(6, Math.round(p.model.violations * 0.002));
  for (const d of p.claimMany(n, p.model.start + DAY, p.model.end - 10 * DAY)) {
    const vehicle = p.rng.pick(specials);
    const id = `DSP-${String(dispatches.length + 1).padStart(6, '0')}`;
    dispatches.push({ id, plate: vehicle.plate, from: iso(d.at - p.between(5 * MINUTE, 60 * MINUTE)), to: iso(d.at + p.between(10 * MINUTE, 120 * MINUTE)) });
    p.direct(d.index, { tag: 'emergency_dispatch', vehicle, review: { kind: 'reject', reason: 'emergency_vehicle', reasonText: `on an emergency call, dispatch ${id}` } });
  }
  for (let k = 0; k < n; k += 1) {
    const from = p.between(p.model.start, p.model.end - 3 * HOUR);
    const id = `DSP-${String(dispatches.length + 1).padStart(6, '0')}`;
    dispatches.push({ id, plate: p.rng.pick(specials).plate, from: iso(from), to: iso(from + p.between(20 * MINUTE, 3 * HOUR)) });
  }
  dispatches.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  p.model.dispatches.push(...dispatches);
}
