import type { RuleStatus } from '@qadaga/contracts/api';

export const RULE_STATUS_KEYS: Record<RuleStatus, string> = {
  draft: 'ruleStatus.draft',
  submitted: 'ruleStatus.submitted',
  approved: 'ruleStatus.approved',
  published: 'ruleStatus.published',
  retired: 'ruleStatus.retired',
};
