import type { RejectionReason } from '@qadaga/domain';
import { randomCancellationReason } from '../lifecycle/natural.js';
import { vehicleSubject, type PlantedScheme, type Planner } from '../plan/planner.js';
import { DAY } from '../time.js';
import { noticeDelivered } from './common.js';

/**
 * Protected plates: a few private cars whose fines keep vanishing. Each is caught 10-14
 * times within 150 days; about 60% of those are rejected by whichever reviewer the queue
 * gives them (unjustified: the plate is registered and readable), about 30% are
 * confirmed and then cancelled after the notice by a supervisor, each time of a
 * different unit (so no single officer cancels it more than once: this is a plate
 * pattern, not one officer's favour), and the rest (~10%) take the normal course.
 */
export function plantProtectedPlates(p: Planner): PlantedScheme {
  const tag = 'protected_plate';
  const vehicles = p.vehiclesFor(tag);
  const { from, to } = p.lifecycleWindow;
  for (const vehicle of vehicles) {
    const windowStart = p.between(from, Math.max(from + DAY, to - 150 * DAY));
    const detections = p.claimMany(p.rng.int(10, 14), windowStart, Math.min(to, windowStart + 150 * DAY));
    const cancellingUnits = p.rng.shuffle([...p.model.roster.units]);
    let cancelled = 0;
    for (const d of detections) {
      const r = p.rng.next();
      if (r < 0.3 && cancelled < Math.min(5, cancellingUnits.length)) {
        const unit = cancellingUnits[cancelled] as (typeof cancellingUnits)[number];
        cancelled += 1;
        const supervisor = p.rng.pick(unit.supervisors);
        p.direct(d.index, {
          tag,
          vehicle,
          camera: p.cameraIn(unit, d),
          review: { kind: 'confirm' },
          after: (s) => {
            noticeDelivered(s);
            s.cancel({ by: supervisor, at: s.safeCancelTime(supervisor), ...randomCancellationReason(s.rng) });
          },
        });
      } else if (r < 0.9) {
        const reason: RejectionReason = p.rng.weighted([['camera_error', 4], ['plate_misread', 3], ['other', 3]] as const);
        p.direct(d.index, {
          tag,
          vehicle,
          review: reason === 'other' ? { kind: 'reject', reason, reasonText: 'vehicle on official business' } : { kind: 'reject', reason },
        });
      } else {
        p.direct(d.index, { tag, vehicle, review: { kind: 'confirm' } });
      }
    }
  }
  return {
    scheme: 'protected_plate',
    subjects: vehicles.map(vehicleSubject),
    note:
      'Each protected vehicle (private, in the register) is detected 10-14 times within 150 days and never otherwise; ' +
      '~60% rejected by random queue reviewers (camera_error/plate_misread/other, though the plate is registered and readable), ' +
      '~30% confirmed then cancelled after the notice by a supervisor of a different unit each time (stated reason and legal basis, ' +
      'clear of deadlines), ~10% normal. Rule: per plate over 180 days, rejected-or-cancelled share vs the city rate (~12-17% with the planted schemes), binomial test, n >= 5.',
  };
}
