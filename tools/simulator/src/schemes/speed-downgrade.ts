import { SPEED_BANDS } from '../city/fines.js';
import { officerSubject, type PlantedScheme, type Planner } from '../plan/planner.js';

/**
 * Offence downgrading: reviewers who, before confirming, edit the measured speed of
 * most detections above +20 km/h to 1-2 km/h under the edge of the band below (excess
 * 19/18, 39/38 or 59/58), so the fine drops a band. Peers edit speeds rarely (0.6% of
 * confirmations, by a 2-5 km/h device tolerance that lands anywhere).
 */
export function plantSpeedDowngrades(p: Planner): PlantedScheme {
  const officers = Array.from({ length: p.officerSubjects() }, () => p.castReviewer());
  const shares = officers.map((o) => {
    const downgradeShare = Math.round(p.rng.between(0.75, 0.9) * 100) / 100;
    p.behaviours.set(o.id, { downgradeShare });
    return `${o.id} ${Math.round(downgradeShare * 100)}%`;
  });
  const bands = SPEED_BANDS.map((b) => `(${b.above}, ${b.upTo === Infinity ? '∞' : b.upTo}] km/h over: art. ${b.article}, ${b.mrpMultiple} MRP`).join('; ');
  return {
    scheme: 'speed_downgrade',
    subjects: officers.map(officerSubject),
    note:
      `Fine bands by excess over the limit: ${bands}. Cameras fire only above +10 km/h. ` +
      `These reviewers edit (amended field "speed", then "article") this share of confirmations whose excess is above +20 to edge - 1 or edge - 2 ` +
      `of the highest band edge below it (edges 20/40/60): ${shares.join(', ')}. ` +
      'Peers: ~0.6% tolerance edits of 2-5 km/h. Rule: edited speeds bunching 1-2 km/h under a band edge; share of downward speed edits per officer vs peers.',
  };
}
