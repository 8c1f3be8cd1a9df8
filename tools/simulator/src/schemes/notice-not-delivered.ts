import { issueNoticeNormally } from '../lifecycle/natural.js';
import { violationSubject, type PlantedScheme, type Planner } from '../plan/planner.js';

/** The notice is issued and then nothing: no delivery, no payment, no cancellation. */
export function plantNoticeNotDelivered(p: Planner): PlantedScheme {
  const { from, to } = p.lifecycleWindow;
  const refs: string[] = [];
  for (const d of p.claimMany(p.violationSubjects(), from, to)) {
    refs.push(p.ref(d.index));
    p.direct(d.index, { tag: 'notice_not_delivered', review: { kind: 'confirm' }, after: (s) => issueNoticeNormally(s) });
  }
  return {
    scheme: 'notice_not_delivered',
    subjects: refs.map(violationSubject),
    note:
      'Confirmed, notice issued normally, then no delivery, payment or cancellation. The city also leaves a small natural share of notices ' +
      'undelivered (its "undelivered" rate), which the rule finds as well. ' +
      'Rule: per violation, notice issued more than 30 days before the end of the window, not delivered, paid or cancelled.',
  };
}
