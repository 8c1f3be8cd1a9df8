
/** The shapes the workbench reads, as the API answers them. */

export const ROLES = ['prosecutor', 'rule_author', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const LOCALES = ['ru', 'kk', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export interface User {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  locale: Locale;
  officerId: string | null;
  unit: string | null;
}

export interface LoginResult {
  token: string;
  expiresAt: string;
  user: User;
}

export { FLAG_STATUSES, type Flag, type FlagDetail, type FlagEvidence as Evidence, type FlagPage, type FlagStatus } from '@qadaga/contracts/api';
export { SEVERITIES, type Severity } from '@qadaga/domain';
import type { FlagHistoryEntry } from '@qadaga/contracts/api';
import type { Severity } from '@qadaga/domain';
export type { FlagHistoryEntry };

export interface RuleParameter {
  default: number;
  min?: number;
  max?: number;
  description: string;
}

export interface RuleDefinition {
  id: string;
  name: string;
  description: string;
  subject: string;
  windowDays: number;
  severity: Severity;
  parameters: Record<string, RuleParameter>;
  [key: string]: unknown;
}

export type RuleStatus = 'draft' | 'submitted' | 'approved' | 'published' | 'retired';

export interface RuleVersion {
  ruleId: string;
  version: number;
  status: RuleStatus;
  definition: RuleDefinition;
  authorId?: string | null;
  approvedBy?: string | null;
  [key: string]: unknown;
}

export interface RuleSummary {
  ruleId: string;
  publishedVersion: number | null;
  latest: RuleVersion | null;
  hits: number;
  decided?: number;
  substantiated?: number;
  precision?: number | null;
}

export interface BacktestResult {
  range: { from: string; to: string };
  subjects: number;
  flags: { subjectId: string; score: number; qValue: number | null; explanation: Record<string, string> }[];
  diff: { added: string[]; removed: string[]; publishedVersion: number | null };
  perWeek: { week: string; flagged: number; events: number }[];
  timings: { factsMs: number; evaluateMs: number; cachedFacts: boolean };
}

export interface UserSummary {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
}
