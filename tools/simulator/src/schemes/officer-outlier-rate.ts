import { officerSubject, type PlantedScheme, type Planner } from '../plan/planner.js';

/**
 * An officer who rejects far more than peers: a reviewer who throws out 55-70% of clean
 * detections (camera_error, plate_misread, other) all year, against a unit norm of
 * about 7% (and those rejections are of detections that really were defective).
 */
export function plantOfficerOutliers(p: Planner): PlantedScheme {
  const officers = Array.from({ length: p.officerSubjects() }, () => p.castReviewer());
  const shares = officers.map((o) => {
    const rejectShare = Math.round(p.rng.between(0.55, 0.7) * 100) / 100;
    p.behaviours.set(o.id, { rejectShare });
    return `${o.id} ${Math.round(rejectShare * 100)}%`;
  });
  return {
    scheme: 'officer_outlier_rate',
    subjects: officers.map(officerSubject),
    note:
      `Reviewers reject this share of otherwise clean detections all year: ${shares.join(', ')}; ` +
      'their total rejection share is ~60-70% against ~7% for unit peers. ' +
      'Rule: monthly rejected+cancelled share per reviewer vs peers of the same unit and role (robust z = 0.6745*(x - median)/MAD > 3.5, or funnel limits).',
  };
}
