import { payNormally } from '../lifecycle/natural.js';
import { vehicleSubject, type PlantedLookalike, type Planner } from '../plan/planner.js';
import { noticeDelivered } from '../schemes/common.js';

/**
 * A delivery or taxi fleet's car caught 32-45 times a year, every fine confirmed,
 * delivered and paid (most within the discount week), register and treasury agreeing.
 * Many fines is not a scheme; vanishing fines are.
 */
export function plantFleetWithManyFines(p: Planner): PlantedLookalike {
  const vehicles = p.vehiclesFor('fleet_with_many_fines');
  const { from, to } = p.lifecycleWindow;
  const counts: string[] = [];
  for (const vehicle of vehicles) {
    const detections = p.claimMany(p.rng.int(32, 45), from, to);
    for (const d of detections) {
      p.direct(d.index, {
        tag: 'fleet_with_many_fines',
        vehicle,
        review: { kind: 'confirm' },
        after: (s) => {
          noticeDelivered(s);
          payNormally(s);
        },
      });
    }
    counts.push(`${vehicle.plate} (${vehicle.ownerRef}) ${detections.length}`);
  }
  return {
    lookalike: 'fleet_with_many_fines',
    subjects: vehicles.map(vehicleSubject),
    note: `Fleet vehicles, detections a year, all confirmed, delivered and paid: ${counts.join(', ')}.`,
  };
}
