import { payNormally } from '../lifecycle/natural.js';
import { violationSubject, type PlantedScheme, type Planner } from '../plan/planner.js';
import { noticeDelivered } from './common.js';

/**
 * Paid with no money (Jaipur): the register records the fine paid, with a plausible
 * payment reference, but the treasury never receives anything. Every genuine payment
 * appears in both, the register 0-3 days after the treasury.
 */
export function plantPaidWithoutTreasury(p: Planner): PlantedScheme {
  const { from, to } = p.lifecycleWindow;
  const refs: string[] = [];
  for (const d of p.claimMany(p.violationSubjects(), from, to)) {
    refs.push(p.ref(d.index));
    p.direct(d.index, {
      tag: 'paid_without_treasury',
      review: { kind: 'confirm' },
      after: (s) => {
        noticeDelivered(s);
        payNormally(s, { treasury: false });
      },
    });
  }
  return {
    scheme: 'paid_without_treasury',
    subjects: refs.map(violationSubject),
    note:
      'The register emits paid (actor system, a paymentRef of the usual form) and the treasury never does. ' +
      'Genuine payments: treasury paid first, register paid 0-3 days later with the same paymentRef and amount. ' +
      'Rule: register paid with no treasury payment for the violation (or paymentRef) after a reconciliation delay of 3+ days.',
  };
}
