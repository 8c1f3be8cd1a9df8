import { randomCancellationReason } from '../lifecycle/natural.js';
import { violationSubject, type PlantedScheme, type Planner } from '../plan/planner.js';
import { noticeDelivered } from './common.js';

/**
 * Cancellations with no stated ground, or by someone who may not cancel. Alternating:
 *  - blank: a supervisor cancels with reasonCode "other" and neither reason text nor legal basis;
 *  - wrong role: the reviewer who confirmed it cancels after the notice (reviewers may only
 *    withdraw before the notice; after it, cancelling is for supervisors and the appeals desk).
 * Both land in working hours, clear of deadlines, so nothing but the ground or role is off.
 */
export function plantCancellationWithoutGround(p: Planner): PlantedScheme {
  const { from, to } = p.lifecycleWindow;
  const refs: string[] = [];
  let blank = 0;
  let wrongRole = 0;
  for (const d of p.claimMany(p.violationSubjects(), from, to)) {
    const variant = refs.length % 2 === 0 ? 'blank' : 'wrong_role';
    refs.push(p.ref(d.index));
    if (variant === 'blank') blank += 1;
    else wrongRole += 1;
    p.direct(d.index, {
      tag: 'cancellation_without_ground',
      review: { kind: 'confirm' },
      after: (s) => {
        noticeDelivered(s);
        if (variant === 'blank') {
          const supervisor = s.supervisor();
          s.cancel({ by: supervisor, at: s.safeCancelTime(supervisor), reasonCode: 'other' });
        } else {
          const reviewer = s.assignedTo ?? s.supervisor();
          s.cancel({ by: reviewer, at: s.safeCancelTime(reviewer), ...randomCancellationReason(s.rng) });
        }
      },
    });
  }
  return {
    scheme: 'cancellation_without_ground',
    subjects: refs.map(violationSubject),
    note:
      `${blank} cancellations by a supervisor with reasonCode "other" and no reasonText or legalBasis; ` +
      `${wrongRole} cancellations after the notice by the reviewer who confirmed it (role reviewer; a stated reason and legal basis). ` +
      'Normal cancellations always state a reason and legal basis, and reviewers cancel only before the notice (withdrawal). ' +
      'Rule: empty or "other" ground without text/basis; or actor role (from the roster) not allowed to cancel after notice_issued.',
  };
}
