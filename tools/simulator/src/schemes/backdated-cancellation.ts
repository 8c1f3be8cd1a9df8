import { workTimeFrom } from '../city/roster.js';
import { randomCancellationReason } from '../lifecycle/natural.js';
import { violationSubject, type PlantedScheme, type Planner } from '../plan/planner.js';
import { DAY } from '../time.js';
import { noticeDelivered } from './common.js';

/**
 * Backdating: a supervisor records a cancellation 1.5-8 days after the date it claims
 * (occurredAt and payload.effectiveAt both say the earlier day), 10-17 days after the
 * notice, so it looks as if it came before anything else happened. Normal events are
 * recorded seconds to minutes after they occur.
 */
export function plantBackdatedCancellations(p: Planner): PlantedScheme {
  const { from, to } = p.lifecycleWindow;
  const refs: string[] = [];
  for (const d of p.claimMany(p.violationSubjects(), from, to)) {
    refs.push(p.ref(d.index));
    p.direct(d.index, {
      tag: 'backdated_cancellation',
      review: { kind: 'confirm' },
      after: (s) => {
        noticeDelivered(s);
        const supervisor = s.supervisor();
        const claimed = s.act(supervisor, workTimeFrom(supervisor, (s.noticeAt as number) + s.rng.between(10 * DAY, 17 * DAY), s.rng));
        const recordedAt = workTimeFrom(supervisor, claimed + s.rng.between(1.5 * DAY, 8 * DAY), s.rng);
        s.cancel({ by: supervisor, at: claimed, effectiveAt: claimed, recordedAt, ...randomCancellationReason(s.rng) });
      },
    });
  }
  return {
    scheme: 'backdated_cancellation',
    subjects: refs.map(violationSubject),
    note:
      'Cancelled by a supervisor with occurredAt = payload.effectiveAt set 10-17 days after the notice, but recordedAt 1.5-8 days later ' +
      '(always > 24 h); stated reason and legal basis; no payment. All other events are recorded seconds to minutes after occurredAt. ' +
      'Rule: recordedAt - effectiveAt (or occurredAt) > 24 h on a cancellation.',
  };
}
