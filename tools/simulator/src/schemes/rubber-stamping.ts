import { addAbsence, shiftWindowAt, type Officer } from '../city/roster.js';
import type { Detection } from '../city/traffic.js';
import { officerSubject, type PlantedScheme, type Planner } from '../plan/planner.js';
import { DAY, MINUTE, SECOND, HOUR, localMidnight, iso } from '../time.js';
import { duringShiftOf, shiftWindowBetween } from './common.js';

const VARIANTS = ['burst', 'on_leave', 'two_workstations'] as const;

/**
 * Rubber stamping and shared credentials, one variant per officer in turn:
 *  - burst: batches of 8-14 confirmations signed 0.6-1.8 s apart (nobody reviews a
 *    photo that fast); normal decisions of any officer are at least 10 s apart;
 *  - on leave: during a 14-21 day leave recorded in the roster, 8-12 detections are
 *    assigned to the officer and confirmed from their account, at their usual hours;
 *  - two workstations: 6-10 times a year, the officer signs two confirmations 12-50 s
 *    apart from two terminals (their own and a colleague's).
 */
export function plantRubberStamping(p: Planner): PlantedScheme {
  const { from, to } = p.lifecycleWindow;
  const officers: Officer[] = [];
  const details: string[] = [];
  for (let k = 0; k < p.officerSubjects(); k += 1) {
    const variant = VARIANTS[k % VARIANTS.length] as (typeof VARIANTS)[number];
    const officer = p.castReviewer();
    officers.push(officer);
    const unit = p.unit(officer.unit);
    const scripted = (d: Detection) => p.cameraIn(unit, d);

    if (variant === 'burst') {
      const bursts = Math.min(8, 3 + Math.floor(Math.log2(Math.max(1, p.model.violations / 5_000))));
      let signed = 0;
      for (let b = 0; b < bursts; b += 1) {
        const w = shiftWindowBetween(officer, p.rng, from + 4 * DAY, to);
        if (w === undefined) continue;
        const assignedAt = w.start + p.between(MINUTE, 20 * MINUTE);
        let at = w.start + p.between(HOUR, w.end - w.start - HOUR);
        for (const d of p.claimMany(p.rng.int(8, 14), w.start - 3 * DAY, w.start - 10 * MINUTE)) {
          p.mark(officer, at);
          p.direct(d.index, { tag: 'rubber_stamping', camera: scripted(d), assign: { officer, at: assignedAt }, review: { kind: 'confirm', at } });
          signed += 1;
          at += p.between(600, 1_800);
        }
      }
      details.push(`${officer.id}: ${signed} confirmations in bursts under 2 s apart`);
    } else if (variant === 'on_leave') {
      const leaveFrom = localMidnight(p.rng.between(from + 10 * DAY, to - 25 * DAY));
      const leaveTo = leaveFrom + p.rng.int(14, 21) * DAY;
      addAbsence(officer, 'leave', leaveFrom, leaveTo);
      const detections = p.claimMany(p.rng.int(8, 12), leaveFrom + DAY, leaveTo - DAY, duringShiftOf({ ...officer, absentSpans: [] }));
      for (const d of detections) {
        p.direct(d.index, { tag: 'rubber_stamping', camera: scripted(d), assign: { officer }, review: { kind: 'confirm', fast: true } });
      }
      details.push(`${officer.id}: ${detections.length} confirmations during leave ${iso(leaveFrom).slice(0, 10)}..${iso(leaveTo).slice(0, 10)}`);
    } else {
      const colleague = p.rng.pick(unit.reviewers.filter((o) => o.id !== officer.id));
      let pairs = 0;
      for (let n = p.rng.int(6, 10); n > 0; n -= 1) {
        const w = shiftWindowBetween(officer, p.rng, from + 3 * DAY, to);
        if (w === undefined) continue;
        const first = w.start + p.between(HOUR, w.end - w.start - HOUR);
        const second = first + p.between(12 * SECOND, 50 * SECOND);
        const detections = p.claimMany(2, first - 2 * DAY, first - 20 * MINUTE);
        if (detections.length < 2) continue;
        detections.forEach((d, i) => {
          const signAt = i === 0 ? first : second;
          const assignedAt = shiftWindowAt(officer, d.at + MINUTE)?.start === w.start ? d.at + p.between(MINUTE, 5 * MINUTE) : w.start + p.between(MINUTE, 20 * MINUTE);
          p.mark(officer, signAt);
          p.direct(d.index, {
            tag: 'rubber_stamping',
            camera: scripted(d),
            assign: { officer, at: assignedAt },
            review: { kind: 'confirm', at: signAt, workstation: i === 0 ? officer.workstation : colleague.workstation },
          });
        });
        pairs += 1;
      }
      details.push(`${officer.id}: ${pairs} pairs signed from ${officer.workstation} and ${colleague.workstation} within a minute`);
    }
  }
  return {
    scheme: 'rubber_stamping',
    subjects: officers.map(officerSubject),
    note:
      `${details.join('; ')}. Everyone's normal decisions are at least 10 s apart, from their own workstation, never while absent. ` +
      'Rule: gaps between one officer\'s consecutive decisions < 2 s; approvals while the roster shows leave or dismissal; ' +
      'one officer signing from two workstations within a minute.',
  };
}
