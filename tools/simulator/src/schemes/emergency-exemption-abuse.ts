import type { Detection } from '../city/traffic.js';
import { officerSubject, type PlantedScheme, type Planner } from '../plan/planner.js';
import { HOUR } from '../time.js';
import { duringShiftOf } from './common.js';

/**
 * "On duty" exemptions with no duty: reviewers who reject 3-4 (at 5,000 violations; up to 10) detections a year as
 * emergency_vehicle although no dispatch record covers that plate at that time: half
 * are ordinary private cars, half special-service vehicles caught off duty. Honest
 * emergency rejections are of special vehicles inside a dispatch window.
 */
export function plantEmergencyAbuse(p: Planner): PlantedScheme {
  const { from, to } = p.lifecycleWindow;
  const specials = p.model.register.vehicles.filter((v) => v.kind === 'special' && !p.model.register.isReserved(v));
  const offDuty = (plate: string, at: number) =>
    !p.model.dispatches.some((x) => x.plate === plate && Date.parse(x.from) - HOUR <= at && Date.parse(x.to) + HOUR >= at);
  const officers = Array.from({ length: p.officerSubjects() }, () => p.castReviewer());
  const perOfficer = Math.min(10, 3 + Math.floor(Math.log2(Math.max(1, p.model.violations / 5_000))));
  const counts: string[] = [];
  for (const officer of officers) {
    const unit = p.unit(officer.unit);
    // Few enough that the officer's overall rejection rate stays ordinary at small scale.
    const detections = p.claimMany(perOfficer + p.rng.int(0, 1), from, to, duringShiftOf(officer));
    detections.forEach((d: Detection, k) => {
      const special = k % 2 === 1 && specials.length > 0 ? p.rng.pick(specials) : undefined;
      p.direct(d.index, {
        tag: 'emergency_exemption_abuse',
        camera: p.cameraIn(unit, d),
        ...(special !== undefined && offDuty(special.plate, d.at) ? { vehicle: special } : {}),
        assign: { officer },
        review: { kind: 'reject', reason: 'emergency_vehicle', reasonText: 'vehicle on an emergency call' },
      });
    });
    counts.push(`${officer.id} ${detections.length}`);
  }
  return {
    scheme: 'emergency_exemption_abuse',
    subjects: officers.map(officerSubject),
    note:
      `Emergency-vehicle rejections with no covering dispatch record, per officer: ${counts.join(', ')} ` +
      '(about half private cars, half special vehicles off duty). Honest ones (~0.2% of detections) are special vehicles inside a dispatch window ' +
      '(ReferenceData.dispatches, from 5-60 min before to 10-120 min after the detection). Rule: emergency_vehicle rejection with no dispatch for that plate key covering the detection time.',
  };
}
