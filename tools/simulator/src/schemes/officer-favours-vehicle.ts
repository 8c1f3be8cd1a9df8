import { plateKey } from '@qadaga/domain';
import { LEGAL_BASIS } from '../city/sources.js';
import type { PlantedScheme, Planner } from '../plan/planner.js';
import { MINUTE } from '../time.js';
import { duringShiftOf } from './common.js';
import { laterInShift } from '../city/roster.js';

/**
 * Favouritism: a reviewer keeps getting one car's detections and makes them go away.
 * 4-6 times a year (one per stretch of the year) the car is caught on a camera of the
 * reviewer's unit while the reviewer is on shift, lands in the reviewer's queue,
 * is confirmed and then withdrawn by that reviewer before the notice goes out
 * ("confirmed in error", with a legal basis, so nothing else looks wrong).
 * The car is also caught 12-18 more times, processed normally by random reviewers, so
 * its overall cancellation share stays ordinary: the signal is the officer-plate pair.
 */
export function plantOfficerFavours(p: Planner): PlantedScheme {
  const tag = 'officer_favours_vehicle';
  const vehicles = p.vehiclesFor(tag);
  const { from, to } = p.lifecycleWindow;
  const pairs: { officer: string; plate: string; favours: number }[] = [];
  for (const vehicle of vehicles) {
    const officer = p.castReviewer();
    const unit = p.unit(officer.unit);
    const favours = p.rng.int(4, 6);
    const stretch = (to - from) / favours;
    let planted = 0;
    for (let k = 0; k < favours; k += 1) {
      const d = p.claim(from + k * stretch, from + (k + 1) * stretch, duringShiftOf(officer));
      if (d === undefined) continue;
      planted += 1;
      p.direct(d.index, {
        tag,
        vehicle,
        camera: p.cameraIn(unit, d),
        assign: { officer },
        review: { kind: 'confirm', fast: true },
        after: (s) => {
          const confirmed = s.confirmedAt as number;
          const at = s.act(officer, laterInShift(officer, confirmed, s.rng.between(5 * MINUTE, 40 * MINUTE)));
          s.cancel({ by: officer, at, reasonCode: 'confirmed_in_error', reasonText: 'owner showed the car was elsewhere', legalBasis: LEGAL_BASIS.reviewError });
        },
      });
    }
    for (const d of p.claimMany(p.rng.int(12, 18), from, to)) p.direct(d.index, { tag: `${tag}:cover`, vehicle });
    pairs.push({ officer: officer.id, plate: plateKey(vehicle.plate), favours: planted });
  }
  return {
    scheme: 'officer_favours_vehicle',
    subjects: pairs.map((x) => ({ kind: 'officer_vehicle', id: `${x.officer}|${x.plate}` })),
    note:
      `Pairs (favours a year): ${pairs.map((x) => `${x.officer}|${x.plate} (${x.favours})`).join(', ')}. ` +
      'The reviewer is queued the car 4-6 times a year (camera of their unit, on shift), confirms and withdraws it before the notice ' +
      '(reasonCode confirmed_in_error, legal basis stated). The car has 12-18 other detections processed normally by random reviewers. ' +
      'Rule: same officer cancels the same plate key 3+ times in a year; hypergeometric test against random queue assignment ' +
      '(the unit has 15-25 reviewers; a reviewer withdrawal happens to ~0.4% of confirmations).',
  };
}
