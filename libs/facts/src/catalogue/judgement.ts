import { STEP_REPORTED_BY, TIMING_NEEDS, type EventType, type JudgementNeed } from '@qadaga/domain';

/**
 * Facts that only some sources' data can support, with what they need of a source and the
 * facts that count what was and was not judged. The facts themselves leave out what could
 * not be judged (a roll-up counts only violations whose sources report the step; the
 * speed of decision counts only decisions timed to the second), so a rule reading them is
 * silent where it cannot see rather than silenced by hand; this table lets a coverage
 * report say so, per rule and source, for any rule that reads these facts.
 */
export const JUDGEMENT_CODES = ['no_review', 'no_notice', 'no_delivery', 'no_treasury', 'no_seconds', 'dates_only'] as const;
export type JudgementCode = (typeof JUDGEMENT_CODES)[number];

export interface FactJudgement {
  need: JudgementNeed;
  /** The subject's fact counting the items judged, when there is one. */
  judged: string | null;
  /** The subject's fact counting the items not judged for lack of data. */
  notJudged: string;
  /** What the need is, in words, for reports. */
  reason: string;
  /** The same as a code, for a reader to put in its own language. */
  code: JudgementCode;
  /**
   * Whose data must meet the need: the subject's own sources, or (a register's payments
   * matched against the treasury) any source of the treasury kind.
   */
  of: 'own' | 'treasury';
}

const step = (reports: readonly EventType[], judged: string, notJudged: string, code: JudgementCode, reason: string, of: FactJudgement['of'] = 'own'): FactJudgement => ({
  need: { reports },
  judged,
  notJudged,
  reason,
  code,
  of,
});

const review = step(STEP_REPORTED_BY.review, 'detectionsDue', 'detectionsNotJudged', 'no_review', 'reports no review decisions');
const notice = step(STEP_REPORTED_BY.notice, 'confirmationsDue', 'confirmationsNotJudged', 'no_notice', 'reports no notices');
const delivery = step(STEP_REPORTED_BY.delivery, 'noticesDue', 'noticesNotJudged', 'no_delivery', 'reports no deliveries');
const treasury = step(STEP_REPORTED_BY.treasury, 'paymentsDue', 'paymentsNotJudged', 'no_treasury', 'no treasury source reports payments', 'treasury');
const speed: FactJudgement = { need: TIMING_NEEDS.speed, judged: 'timedDecisions', notJudged: 'untimedDecisions', reason: 'times are not to the second', code: 'no_seconds', of: 'own' };
const clock: FactJudgement = { need: TIMING_NEEDS.timeOfDay, judged: 'clockedDecisions', notJudged: 'unclockedDecisions', reason: 'times are dates alone', code: 'dates_only', of: 'own' };

export const FACT_JUDGEMENT: Readonly<Record<string, FactJudgement>> = {
  detectionsUnreviewed: review,
  unreviewedShare: review,
  confirmationsWithoutNotice: notice,
  withoutNoticeShare: notice,
  noticesUndelivered: delivery,
  undeliveredShare: delivery,
  paymentsUnmatched: treasury,
  unmatchedShare: treasury,
  fastDecisions: speed,
  fastDecisionShare: speed,
  workstationConflicts: speed,
  offShiftDecisions: clock,
  offShiftShare: clock,
  nightDecisions: clock,
};
