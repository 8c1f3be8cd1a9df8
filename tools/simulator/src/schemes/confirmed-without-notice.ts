import { violationSubject, type PlantedScheme, type Planner } from '../plan/planner.js';

/** Confirmed by the reviewing officer, and then the register never issues the notice. */
export function plantConfirmedWithoutNotice(p: Planner): PlantedScheme {
  const { from, to } = p.lifecycleWindow;
  const refs: string[] = [];
  for (const d of p.claimMany(p.violationSubjects(), from, to)) {
    refs.push(p.ref(d.index));
    p.direct(d.index, { tag: 'confirmed_without_notice', review: { kind: 'confirm' }, after: () => undefined });
  }
  return {
    scheme: 'confirmed_without_notice',
    subjects: refs.map(violationSubject),
    note:
      'Confirmed normally; no notice_issued, cancellation or expiry follows. Genuine confirmations get their notice 2-30 hours later. ' +
      'Rule: per violation, confirmed more than 10 days before the end of the window with no notice, not cancelled, not expired.',
  };
}
