/**
 * The workflow of a case a prosecutor opens from flags: open, investigating, referred,
 * then closed with an outcome. Closing is not an ordinary status change: one person asks
 * for it and another approves it (four eyes), because the outcome labels every flag in
 * the case and so measures each rule's precision.
 */

export const CASE_STATUSES = ['open', 'investigating', 'referred', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const CASE_OUTCOMES = ['substantiated', 'unfounded'] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];

/** The statuses an ordinary status change may set; 'open' is where a case starts, 'closed' needs two people. */
export type CaseStatusChange = Exclude<CaseStatus, 'open' | 'closed'>;

/** Where a case may go next by an ordinary status change. */
const NEXT: Readonly<Record<CaseStatus, readonly CaseStatusChange[]>> = {
  open: ['investigating', 'referred'],
  investigating: ['referred'],
  referred: [],
  closed: [],
};

/** Whether a case may move from one status to another by an ordinary status change. */
export function mayChangeCaseStatus(from: CaseStatus, to: CaseStatus): boolean {
  return (NEXT[from] as readonly CaseStatus[]).includes(to);
}

/** A closed case keeps its record as it was decided: no note, flag, assignee or status is added. */
export function isCaseEditable(status: CaseStatus): boolean {
  return status !== 'closed';
}

/** Four eyes: whoever asked to close a case may not be the one who approves the close. */
export function mayApproveClose(requestedBy: string, approver: string): boolean {
  return requestedBy !== approver;
}

/** Cases are worked by prosecutors (administrators stand in for them). */
const MAY_BE_ASSIGNED: ReadonlySet<string> = new Set(['prosecutor', 'admin']);

/** Whether a user with these roles may be made a case's assignee. */
export function mayBeAssignedCases(roles: readonly string[]): boolean {
  return roles.some((role) => MAY_BE_ASSIGNED.has(role));
}
