import type { LifecycleEvent } from '@qadaga/domain';
import type { SignedCheckpoint } from '../signing/checkpoint.js';

/**
 * Everything a bundle is made of, as plain data plus async iterables: events and chain
 * links are pulled while the ZIP is written, so a bundle of any size streams through.
 */

export type MaybeAsyncIterable<T> = AsyncIterable<T> | Iterable<T>;

/** One ledger row: the event exactly as its source reported it, and where it sits in its chain. */
export interface BundleEvent {
  event: LifecycleEvent;
  chainId: string;
  chainSeq: number;
  contentHash: string;
  chainHash: string;
  /** When the ledger received it; not part of the hashed content. */
  receivedAt?: string;
}

export interface ChainLinkRecord {
  seq: number;
  contentHash: string;
  chainHash: string;
}

/**
 * The links of one chain from its first included event up to a checkpoint's head:
 * positions fromSeq..toSeq, starting from the link just before fromSeq.
 */
export interface ChainProofSegment {
  chainId: string;
  checkpointId: string;
  fromSeq: number;
  toSeq: number;
  /** The chain hash at fromSeq - 1 (the genesis hash when fromSeq is 1). */
  previousHash: string;
  links: MaybeAsyncIterable<ChainLinkRecord>;
}

export interface BundleCheckpoint extends SignedCheckpoint {
  id: string;
  /** Signed for this bundle because no stored checkpoint covered its events yet. */
  adHoc: boolean;
}

export interface BundleRuleVersion {
  ruleId: string;
  version: number;
  status: string;
  definition: Record<string, unknown>;
  definitionHash: string;
  authorId?: string | null;
  approvedBy?: string | null;
  publishedBy?: string | null;
  publishedAt?: string | null;
}

export interface EvidenceRef {
  source: string;
  eventId: string;
  contentHash: string;
  chainHash: string;
}

export interface BundleFlag {
  id: string;
  ruleId: string;
  ruleVersion: number;
  scheme: string;
  subjectKind: string;
  subjectId: string;
  status: string;
  statusReason?: string | null;
  severity: string;
  score: number;
  qValue: number | null;
  explanation: Record<string, string>;
  facts: Record<string, unknown>;
  baseline: Record<string, unknown>;
  evidence: EvidenceRef[];
  unit: string | null;
  district: string | null;
  windowFrom: string;
  windowTo: string;
  firstRaisedAt?: string;
  lastRaisedAt?: string;
}

export interface BundleCase {
  case: { id: string; number?: string; title?: string } & Record<string, unknown>;
  notes: Record<string, unknown>[];
  timeline: Record<string, unknown>[];
  attachments?: Record<string, unknown>[];
}

export type SummaryLocale = 'en' | 'ru' | 'kk';

export interface BundleInput {
  /** ISO 8601; fixed by the caller, so the same inputs give the same bytes. */
  generatedAt: string;
  generatedBy: { id: string; name?: string };
  reason: string;
  productVersion: string;
  /** What was asked for: a case's flags or a query. Recorded in the manifest. */
  selection: Record<string, unknown>;
  case: BundleCase | null;
  rules: BundleRuleVersion[];
  flags: BundleFlag[];
  /** Ordered by chain and position. */
  events: MaybeAsyncIterable<BundleEvent>;
  /** When known, progress is reported against it. */
  eventCount?: number;
  checkpoints: BundleCheckpoint[];
  chainProofs: ChainProofSegment[];
  /** Rows written as they are, one JSON line each (AccessLogRow from the access log, say). */
  accessLog: MaybeAsyncIterable<object>;
  /** Public keys of the product's key ring besides the signing key (older keys). */
  productKeys?: { keyId: string; publicKey: string }[];
  /** Remarks a reader must see, such as checkpoints signed for this bundle. */
  remarks?: string[];
  locale?: SummaryLocale;
}

export interface BundleProgress {
  /** 0..100 */
  percent: number;
  phase: string;
}
