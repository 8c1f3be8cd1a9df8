import type { CaseAttachment, CaseNote, CaseRecord, CaseTimelineEntry, Flag, FlagEvidence } from '@qadaga/contracts/api';
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

/** A ledger event a flag rests on, as the API names it. */
export type EvidenceRef = FlagEvidence;

/**
 * A flag as the bundle records it: the API's flag, without the label a case's outcome
 * gives it later; bundles written before a flag's status reason, raising instants and
 * drawn evidence (display) were recorded lack them.
 */
export type BundleFlag = Omit<Flag, 'label' | 'statusReason' | 'firstRaisedAt' | 'lastRaisedAt' | 'display'> &
  Partial<Pick<Flag, 'statusReason' | 'firstRaisedAt' | 'lastRaisedAt' | 'display'>>;

/** A case as the API answers it: its summary and flag ids, with its notes, timeline and attachments. */
export interface BundleCase {
  case: Pick<CaseRecord, 'id'> & Partial<Omit<CaseRecord, 'notes' | 'attachments' | 'timeline'>>;
  notes: CaseNote[];
  timeline: CaseTimelineEntry[];
  attachments?: CaseAttachment[];
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
