import { officerSubject, type PlantedScheme, type Planner } from '../plan/planner.js';

/**
 * Decisions signed off shift, at night: day-crew reviewers who sign 45-60% of their
 * decisions between 00:00 and 05:00 local, one or two nights after the assignment
 * (their shift is 08:00-20:00). Night-crew reviewers sign at night too, but on shift:
 * the rule must judge against each officer's own shift, not the clock.
 */
export function plantOffShiftActions(p: Planner): PlantedScheme {
  const officers = Array.from({ length: p.officerSubjects() }, () => p.castReviewer((o) => o.crew === 'day-a' || o.crew === 'day-b'));
  const shares = officers.map((o) => {
    const nightShare = Math.round(p.rng.between(0.45, 0.6) * 100) / 100;
    p.behaviours.set(o.id, { nightShare });
    return `${o.id} ${Math.round(nightShare * 100)}%`;
  });
  return {
    scheme: 'off_shift_action',
    subjects: officers.map(officerSubject),
    note:
      `Day-shift reviewers (08:00-20:00 local, see the roster) sign this share of their decisions at 00:00-05:00 local (UTC+5): ${shares.join(', ')}. ` +
      'Everyone else signs inside their own shift. Rule: share of an officer\'s actions outside their shift (local time, with absences), or at night.',
  };
}
