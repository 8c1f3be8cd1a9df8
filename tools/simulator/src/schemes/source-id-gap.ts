import type { SubjectRef } from '@qadaga/domain';
import type { Officer } from '../city/roster.js';
import { LEGAL_BASIS, SOURCES } from '../city/sources.js';
import { payNormally } from '../lifecycle/natural.js';
import type { PlantedScheme, Planner } from '../plan/planner.js';
import { MINUTE } from '../time.js';
import { noticeDelivered } from './common.js';

/** Violations per source whose event goes missing. */
const LOST_PER_SOURCE = 2;

/**
 * Deletion without a trace: a source numbers an event and the ledger never receives it.
 * In the register, a notice's delivery (numbered between the notice and the payment); in
 * the review desk, a confirmation that the same officer withdrew twenty minutes later.
 * Event ids are "PREFIX-ref-n", so each loss leaves a hole in one violation's numbering.
 */
export function plantSourceIdGaps(p: Planner): PlantedScheme {
  const { from, to } = p.lifecycleWindow;
  for (const d of p.claimMany(LOST_PER_SOURCE, from, to)) {
    p.direct(d.index, {
      tag: 'source_id_gap',
      review: { kind: 'confirm' },
      after: (s) => {
        noticeDelivered(s);
        payNormally(s);
        s.lose(SOURCES.register, 'notice_delivered');
      },
    });
  }
  for (const d of p.claimMany(LOST_PER_SOURCE, from, to)) {
    p.direct(d.index, {
      tag: 'source_id_gap',
      review: { kind: 'confirm' },
      after: (s) => {
        const officer = s.assignedTo as Officer;
        s.cancel({
          by: officer,
          at: s.act(officer, (s.confirmedAt ?? s.detectedAt) + 20 * MINUTE),
          reasonCode: 'confirmed_in_error',
          reasonText: 'confirmed by mistake; photo shows no offence',
          legalBasis: LEGAL_BASIS.reviewError,
        });
        s.lose(SOURCES.review, 'confirmed');
      },
    });
  }
  const subjects: SubjectRef[] = [
    { kind: 'source', id: SOURCES.register },
    { kind: 'source', id: SOURCES.review },
  ];
  return {
    scheme: 'source_id_gap',
    subjects,
    note:
      `${LOST_PER_SOURCE} register notice deliveries (REG-<ref>-2, between the notice and the payment) and ${LOST_PER_SOURCE} review-desk confirmations ` +
      '(RVD-<ref>-2, before a withdrawal) are numbered and never emitted. No other event of the city is lost. ' +
      'Rule: per source over 30 days, numbers missing between present ids of a stem and absent from the whole ledger.',
  };
}
