import { LEGAL_BASIS } from '../city/sources.js';
import { randomCancellationReason } from '../lifecycle/natural.js';
import { violationSubject, type PlantedScheme, type Planner } from '../plan/planner.js';
import { DAY } from '../time.js';
import { noticeDelivered } from './common.js';

/**
 * Two systems telling two stories, alternating:
 *  - the register closes the case as cancelled (actor system, citing a review-desk
 *    decision that does not exist) while the review desk never cancelled;
 *  - the review desk cancels (lawfully: supervisor, reason, basis) but the register
 *    still sends the fine to enforcement weeks later.
 * Normally only the review desk cancels, and the register never acts on a cancelled fine.
 */
export function plantSourcesDisagree(p: Planner): PlantedScheme {
  const { from, to } = p.lifecycleWindow;
  const refs: string[] = [];
  let registerOnly = 0;
  let enforcedAfter = 0;
  for (const d of p.claimMany(p.violationSubjects(), from, to)) {
    const variant = refs.length % 2 === 0 ? 'register_cancelled' : 'enforced_after_cancel';
    if (variant === 'register_cancelled') registerOnly += 1;
    else enforcedAfter += 1;
    refs.push(p.ref(d.index));
    p.direct(d.index, {
      tag: 'sources_disagree',
      review: { kind: 'confirm' },
      after: (s) => {
        noticeDelivered(s);
        const notice = s.noticeAt as number;
        if (variant === 'register_cancelled') {
          s.cancel({
            by: 'register',
            at: notice + s.rng.between(10 * DAY, 20 * DAY),
            reasonCode: 'closed_on_review_decision',
            legalBasis: LEGAL_BASIS.registerClosure,
            reference: `RVD-DEC-${s.rng.hex(8).toUpperCase()}`,
          });
        } else {
          const supervisor = s.supervisor();
          s.cancel({ by: supervisor, at: s.safeCancelTime(supervisor), ...randomCancellationReason(s.rng) });
          s.enforce(notice + s.rng.between(31 * DAY, 45 * DAY));
        }
      },
    });
  }
  return {
    scheme: 'sources_disagree',
    subjects: refs.map(violationSubject),
    note:
      `${registerOnly} violations the register reports cancelled (source register, actor system, reference to a review-desk decision that does not exist) ` +
      `with no cancellation from the review desk; ${enforcedAfter} cancelled by the review desk and still sent_to_enforcement by the register 31-45 days after the notice. ` +
      'Rule: current state per source differs for one violation (cancelled in one, alive or enforced in the other), or a step exists in one source only.',
  };
}
