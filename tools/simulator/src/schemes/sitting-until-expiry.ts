import { officerSubject, type PlantedScheme, type Planner } from '../plan/planner.js';

/**
 * Sitting on detections: reviewers who leave 30-45% of what the queue
 * gives them undecided until the two-month limitation period ends and the register
 * records it expired. Peers let ~1% expire. Never cast from the short-staffed unit, so
 * the look-alike (a whole unit expiring for a week) stays a different picture.
 */
export function plantSittingUntilExpiry(p: Planner): PlantedScheme {
  const officers = Array.from({ length: p.officerSubjects() }, () => p.castReviewer());
  const shares = officers.map((o) => {
    const sitShare = Math.round(p.rng.between(0.3, 0.45) * 100) / 100;
    p.behaviours.set(o.id, { sitShare });
    return `${o.id} ${Math.round(sitShare * 100)}%`;
  });
  return {
    scheme: 'sitting_until_expiry',
    subjects: officers.map(officerSubject),
    note:
      `Share of assigned detections never decided (expired by the register two calendar months after detection): ${shares.join(', ')}; ` +
      'peers ~1%. Rule: per officer, share of assigned detections expired (or unreviewed after 45 days) against the unit backlog.',
  };
}
