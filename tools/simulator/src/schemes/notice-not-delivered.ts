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
      'Confirmed, notice issued normally, then no delivery, payment or cancellation. Every other notice left so by the end is listed after ' +
      'these: the city leaves a small share undelivered in its ordinary course, and other schemes (a plate edited to lead nowhere) do too. ' +
      'Rule: per violation, notice issued more than 30 days before the end of the window, not delivered, paid or cancelled.',
  };
}
