import type { CaseOutcome, CaseStatus } from '@qadaga/contracts/api';

export const CASE_STATUS_KEYS: Record<CaseStatus, string> = {
  open: 'caseStatus.open',
  investigating: 'caseStatus.investigating',
  referred: 'caseStatus.referred',
  closed: 'caseStatus.closed',
};

export const OUTCOME_KEYS: Record<CaseOutcome, string> = {
  substantiated: 'outcome.substantiated',
  unfounded: 'outcome.unfounded',
};
