import { officerSubject, unitSubject, type PlantedLookalike, type Planner } from '../plan/planner.js';
import { DAY, HOUR, WEEK, iso, localMidnight, localWeekday } from '../time.js';

/**
 * A week the whole unit could not keep up (a flu week): 80% of the detections the queue
 * gives any of its reviewers that week are never decided and expire two months later.
 * The backlog is spread over all the unit's reviewers by random assignment, so no one
 * officer stands out from the unit: the unit does. Its reviewers are never cast in
 * officer schemes.
 */
const SHORTAGE_SIT_SHARE = 0.8;

export function plantStaffShortage(p: Planner): PlantedLookalike {
  // The busiest unit: its backlog is the one that shows.
  const traffic = (code: string) => (p.model.cameras.byUnit.get(code) ?? []).reduce((sum, c) => sum + c.weight, 0);
  const busiest = Math.max(...p.model.roster.units.map((u) => traffic(u.code)));
  const unit = p.castUnit((u) => traffic(u.code) === busiest);
  p.excludedUnits.add(unit.code);
  let weekStart = localMidnight(p.rng.between(p.model.start + 14 * DAY, Math.max(p.model.start + 15 * DAY, p.model.end - 80 * DAY)));
  while (localWeekday(weekStart + 12 * HOUR) !== 1) weekStart += DAY;
  p.shortages.push({ unit: unit.code, from: weekStart, to: weekStart + WEEK, sitShare: SHORTAGE_SIT_SHARE });
  return {
    lookalike: 'staff_shortage_week',
    subjects: [unitSubject(unit), ...unit.reviewers.map(officerSubject)],
    note:
      `Unit ${unit.code}, week from ${iso(weekStart + 5 * HOUR).slice(0, 10)}: ${SHORTAGE_SIT_SHARE * 100}% of its detections that week are assigned as usual and never decided, ` +
      'expiring two calendar months later, spread over all its reviewers by the random queue. Not sitting_until_expiry: the whole unit rises, not one officer.',
  };
}
