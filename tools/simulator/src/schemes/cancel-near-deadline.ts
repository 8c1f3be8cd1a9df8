import { randomCancellationReason } from '../lifecycle/natural.js';
import { DEADLINES } from '../lifecycle/story.js';
import { violationSubject, type PlantedScheme, type Planner } from '../plan/planner.js';
import { workTimeFrom } from '../city/roster.js';
import { DAY } from '../time.js';
import { justBefore, noticeDelivered } from './common.js';

const VARIANTS = ['payment', 'discount', 'enforcement', 'limitation'] as const;

/**
 * Cancelling just before a deadline bites, or after the case went to collection, with
 * no appeal anywhere. Cycling through: 2-46 h before the 30-day payment deadline;
 * 2-46 h before the 7-day discount deadline; 1-12 days after sent_to_enforcement; and
 * an unreviewed detection cancelled 2-46 h before its two-month limitation ends.
 * Each by a supervisor, with a stated reason and legal basis.
 */
export function plantCancelNearDeadline(p: Planner): PlantedScheme {
  const { from, to } = p.lifecycleWindow;
  const refs: string[] = [];
  const counts: Record<(typeof VARIANTS)[number], number> = { payment: 0, discount: 0, enforcement: 0, limitation: 0 };
  for (const d of p.claimMany(p.violationSubjects(), from, to)) {
    const variant = VARIANTS[refs.length % VARIANTS.length] as (typeof VARIANTS)[number];
    counts[variant] += 1;
    refs.push(p.ref(d.index));
    const tag = 'cancel_near_deadline';
    if (variant === 'limitation') {
      p.direct(d.index, {
        tag,
        review: { kind: 'hold' },
        after: (s) => {
          const supervisor = s.supervisor();
          s.cancel({ by: supervisor, at: s.act(supervisor, justBefore(supervisor, s.limitation(), s.rng)), ...randomCancellationReason(s.rng) });
        },
      });
      continue;
    }
    p.direct(d.index, {
      tag,
      review: { kind: 'confirm' },
      after: (s) => {
        noticeDelivered(s);
        const notice = s.noticeAt as number;
        const supervisor = s.supervisor();
        let at: number;
        if (variant === 'enforcement') {
          const enforcedAt = notice + s.rng.between(31 * DAY, 40 * DAY);
          s.enforce(enforcedAt);
          at = workTimeFrom(supervisor, enforcedAt + s.rng.between(DAY, 12 * DAY), s.rng);
        } else {
          at = justBefore(supervisor, notice + (variant === 'payment' ? DEADLINES.payment : DEADLINES.discount), s.rng);
        }
        s.cancel({ by: supervisor, at: s.act(supervisor, at), ...randomCancellationReason(s.rng) });
      },
    });
  }
  return {
    scheme: 'cancel_near_deadline',
    subjects: refs.map(violationSubject),
    note:
      `Deadlines: discount = notice_issued + 7 days; payment = notice_issued + 30 days; limitation = detected + 2 calendar months. ` +
      `Planted (no appeal on any): ${counts.payment} cancelled 2-46 h before the payment deadline, ${counts.discount} 2-46 h before the discount deadline, ` +
      `${counts.enforcement} cancelled 1-12 days after sent_to_enforcement, ${counts.limitation} unreviewed and cancelled 2-46 h before limitation. ` +
      'Normal non-appeal cancellations keep at least 54 h from every deadline. Rule: cancellation within 48 h before a deadline without an appeal, or after sent_to_enforcement.',
  };
}
