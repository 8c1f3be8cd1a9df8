import type { WorkedFlag } from '@qadaga/contracts/api';

/** A flag as the list answers it, for component tests; each test overrides what it looks at. */
export function sampleFlag(overrides: Partial<WorkedFlag> & Pick<WorkedFlag, 'id'>): WorkedFlag {
  return {
    ruleId: 'officer-outlier-rate',
    ruleVersion: 1,
    scheme: 'officer_outlier_rate',
    subjectKind: 'officer',
    subjectId: 'OFF-1',
    status: 'new',
    statusReason: null,
    severity: 'medium',
    score: 1,
    qValue: 0.001,
    explanation: { en: 'x' },
    facts: {},
    baseline: {},
    evidence: [],
    unit: 'U1',
    district: 'Almaly',
    label: null,
    display: [],
    windowFrom: '2026-01-01T00:00:00Z',
    windowTo: '2026-07-01T00:00:00Z',
    firstRaisedAt: '2026-07-01T00:00:00Z',
    lastRaisedAt: '2026-07-01T00:00:00Z',
    assignee: null,
    dueAt: null,
    ...overrides,
  };
}
