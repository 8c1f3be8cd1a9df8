import { LEGAL_BASIS } from '../city/sources.js';
import type { Directive } from '../lifecycle/directive.js';
import { officerSubject, unitSubject, type PlantedLookalike, type Planner } from '../plan/planner.js';
import { DAY, HOUR, WEEK, iso, localMidnight, localWeekday, localYear } from '../time.js';

/**
 * A lawful mass void: a busy camera fails its verification, reviewers hold its
 * detections, and on the Tuesday after the bad week one supervisor voids every
 * detection of that camera in that week in working hours, all citing one act. A
 * mass-cancellation rule sees a burst; what sets it apart is one act, one camera, all
 * of it. The camera makes at least 40 detections that week (a failing sensor over-fires).
 */
export function plantFaultyCamera(p: Planner): PlantedLookalike {
  const unit = p.castUnit();
  const cameras = [...(p.model.cameras.byUnit.get(unit.code) ?? [])].sort((a, b) => b.weight - a.weight);
  const camera = p.rng.pick(cameras.slice(0, Math.max(1, Math.ceil(cameras.length / 4))));
  let weekStart = localMidnight(p.rng.between(p.model.start + 30 * DAY, p.model.end - 45 * DAY));
  while (localWeekday(weekStart + 12 * HOUR) !== 1) weekStart += DAY;
  const weekEnd = weekStart + WEEK;
  const supervisor = p.rng.pick(unit.supervisors);
  const act = `ACT-${unit.code}-${localYear(weekEnd)}-${String(p.rng.int(10, 99)).padStart(3, '0')}`;
  const voidDay = weekEnd + DAY; // Tuesday
  const directive: Directive = {
    tag: 'faulty_camera_voided',
    camera,
    review: { kind: 'hold' },
    after: (s) => {
      const at = s.act(supervisor, voidDay + 10 * HOUR + s.rng.between(0, 3 * HOUR));
      s.cancel({
        by: supervisor,
        at,
        reasonCode: 'camera_fault',
        reasonText: `camera ${camera.id} failed metrological verification; all detections ${iso(weekStart + 5 * HOUR).slice(0, 10)}..${iso(weekEnd + 4 * HOUR).slice(0, 10)} void`,
        legalBasis: LEGAL_BASIS.faultyDevice,
        reference: act,
      });
    },
  };
  // Count the camera's own detections that week, then top it up to at least 40.
  const { lo, hi } = p.model.traffic.indexRange(weekStart, weekEnd);
  let natural = 0;
  for (let i = lo; i < hi; i += 1) {
    const d = p.draw(i);
    if (d.camera.id === camera.id && d.at >= weekStart && d.at < weekEnd && !p.directives.has(i)) natural += 1;
  }
  const extra = p.claimMany(Math.max(0, 40 - natural + p.rng.int(0, 8)), weekStart, weekEnd, (d) => d.camera.id !== camera.id);
  for (const d of extra) p.direct(d.index, directive);
  p.cameraWindows.push({ cameraId: camera.id, from: weekStart, to: weekEnd, directive });
  return {
    lookalike: 'faulty_camera_voided',
    subjects: [{ kind: 'camera', id: camera.id }, unitSubject(unit), officerSubject(supervisor)],
    note:
      `Camera ${camera.id} (${camera.district}, unit ${unit.code}) over-fired in the week from ${iso(weekStart + 5 * HOUR).slice(0, 10)} ` +
      `(${natural + extra.length} detections, held undecided by reviewers); all of them cancelled on ${iso(voidDay + 5 * HOUR).slice(0, 10)} 10:00-13:00 local ` +
      `by supervisor ${supervisor.id}, reasonCode camera_fault, one act reference ${act}, one legal basis. ` +
      'Not a scheme: the burst cites one act and covers every detection of one camera in the period, by a supervisor, in working hours, before any notice.',
  };
}
