import { violationSubject, type PlantedScheme, type Planner } from '../plan/planner.js';

/**
 * Detections that stall in the queue: assigned, then neither confirmed, rejected nor
 * cancelled, and never closed by the register as expired either, so the record simply
 * stops. (Detections left to expire are the sitting-until-expiry scheme, per officer.)
 */
export function plantUnreviewedDetections(p: Planner): PlantedScheme {
  const { from, to } = p.lifecycleWindow;
  const refs: string[] = [];
  for (const d of p.claimMany(p.violationSubjects(), from, to)) {
    refs.push(p.ref(d.index));
    p.direct(d.index, { tag: 'unreviewed_detection', review: { kind: 'hold' } });
  }
  return {
    scheme: 'unreviewed_detection',
    subjects: refs.map(violationSubject),
    note:
      'Detected and assigned, then no confirmed, rejected, cancelled or expired event ever follows; at least 80 days pass before the city ends. ' +
      'Every other detection with no decision past the review limit by the end is listed after these (detections left to sit until they expire, ' +
      'decisions a source lost). ' +
      'Rule: per violation, detected more than 30 days before the end of the window with no decision and no expiry.',
  };
}
