import { describe, expect, it } from 'vitest';
import { CASE_STATUSES, isCaseEditable, mayApproveClose, mayBeAssignedCases, mayChangeCaseStatus } from './case-workflow.js';

describe('case workflow', () => {
  it('moves an open case to investigating or referred, an investigated case only to referred', () => {
    const allowed = CASE_STATUSES.flatMap((from) => CASE_STATUSES.filter((to) => mayChangeCaseStatus(from, to)).map((to) => `${from}>${to}`));
    expect(allowed).toEqual(['open>investigating', 'open>referred', 'investigating>referred']);
  });

  it('never closes or reopens a case by an ordinary status change', () => {
    for (const from of CASE_STATUSES) {
      expect(mayChangeCaseStatus(from, 'closed')).toBe(false);
      expect(mayChangeCaseStatus(from, 'open')).toBe(false);
    }
  });

  it('keeps a closed case as it was decided', () => {
    expect(CASE_STATUSES.filter((s) => !isCaseEditable(s))).toEqual(['closed']);
  });

  it('lets a close be approved only by someone other than who asked for it', () => {
    expect(mayApproveClose('user:a', 'user:a')).toBe(false);
    expect(mayApproveClose('user:a', 'user:b')).toBe(true);
  });

  it('assigns cases to prosecutors and administrators only', () => {
    expect(mayBeAssignedCases(['prosecutor'])).toBe(true);
    expect(mayBeAssignedCases(['auditor', 'admin'])).toBe(true);
    expect(mayBeAssignedCases(['auditor', 'rule_author'])).toBe(false);
    expect(mayBeAssignedCases([])).toBe(false);
  });
});
