
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
import type { Flag, FlagHistoryEntry } from '@qadaga/contracts/api';
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

export const CASE_STATUSES = ['open', 'investigating', 'referred', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export type Outcome = 'substantiated' | 'unfounded';

export interface CaseSummary {
  id: string;
  number: string;
  title: string;
  status: CaseStatus;
  outcome: Outcome | null;
  assigneeId: string | null;
  assignee: { id: string; displayName: string } | null;
  dueAt: string | null;
  overdue: boolean;
  flagCount: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  closeRequest: null | { requestedBy: string; requestedByName: string; outcome: Outcome; reason: string; at: string };
}

export interface CaseNote {
  id: string;
  authorId: string;
  authorName: string;
  at: string;
  text: string;
}

export interface CaseAttachment {
  id: string;
  name: string;
  sha256: string;
  size: number;
  mediaType: string;
  addedBy: string;
  at: string;
}

export interface TimelineEntry {
  at: string;
  actor: string;
  actorName: string;
  action: string;
  details: unknown;
}

export type FlagSummary = Pick<Flag, 'id' | 'ruleId' | 'subjectKind' | 'subjectId' | 'severity' | 'status'> & Partial<Flag>;

export type CaseDetail = CaseSummary & {
  flags: FlagSummary[];
  notes: CaseNote[];
  attachments: CaseAttachment[];
  timeline: TimelineEntry[];
};

export interface Bundle {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  progress: number;
  sha256: string | null;
  size: number | null;
  error: string | null;
  fileName: string;
}

export interface BundleVerification {
  ok: boolean;
  failures: { file: string; reason: string }[];
  checked?: { signedBy: string | null };
  /** Where the server's trusted keys came from: files it was given, or the database alone. */
  keysFrom?: 'configured' | 'database';
}

export interface LedgerVerification {
  ok: boolean;
  rowsChecked: number;
  chains: { chainId: string; rows: number; headSeq: string; headHash: string }[];
  /** A failure of the rows against a checkpoint names the chain and position; one about a checkpoint itself has neither. */
  failures: { kind: string; chainId: string | null; seq: string | null; rowId: string | null; eventId: string | null; message: string; signedHash?: string; foundHash?: string | null }[];
  checkpoints?: { checked: number; fromFile: number; signaturesChecked: boolean; trust: 'product_keys' | 'carried_key_only' };
}

/** A checkpoint the signer refused to sign because the chains no longer extend the last one. */
export interface IntegrityAlarm {
  id: string;
  raisedAt: string;
  kind: string;
  message: string;
  checkpointId: string | null;
  failures: unknown[];
}

export interface Checkpoint {
  id: string;
  at: string;
  ledgerHeads: { chainId: string; seq: string | number; hash: string }[];
  /** The head of each lane of the hash-chained access log; null before anyone was logged. */
  accessLogHead: { lanes: { lane: number; seq: string | number; hash: string }[] } | null;
  keyId: string;
  signature: string;
  publicKey: string;
}

export interface UserSummary {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
}
