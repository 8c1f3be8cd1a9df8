import type { CHAIN_FAILURE_KINDS } from '@qadaga/contracts/api';
import { GENESIS_HASH, chainLink } from '@qadaga/domain/hashing';

import type { ArchivedSpan } from '../archive/archived-chains.js';
import type { CheckpointFailureKind, CheckpointOrigin } from './checkpoint-check.js';

/** The kinds are the contract's: a new kind is a type error here until the API can answer it. */
export type VerifyFailureKind = (typeof CHAIN_FAILURE_KINDS)[number] | CheckpointFailureKind;

export interface VerifyFailure {
  kind: VerifyFailureKind;
  /** Null only for a failure of a checkpoint itself (missing, altered, badly signed). */
  chainId: string | null;
  /** Chain position concerned (the first missing one for gaps); null only for a failure of a checkpoint itself. */
  seq: string | null;
  rowId: string | null;
  eventId: string | null;
  message: string;
  /** For a comparison with a signed checkpoint: the hash it signed, the hash found (null: no row), and which checkpoint. */
  signedHash?: string | null;
  foundHash?: string | null;
  checkpoint?: CheckpointOrigin;
}

export interface ChainReport {
  chainId: string;
  rows: number;
  headSeq: string;
  headHash: string;
}

/** What the walk needs of one row; whether its content still matches its hash is decided before. */
export interface WalkRow {
  seq: string;
  id: string;
  eventId: string;
  contentHash: string;
  chainHash: string;
  contentOk: boolean;
}

/**
 * The walk along one chain in (chain_seq, id) order. After a failure it resynchronises
 * on the stored link, so one tampered row is reported once rather than poisoning the
 * rest of the chain. Rows the walk is not shown must be ones it would have accepted
 * without a word; `acceptedUpTo` moves its state past them.
 */
export class ChainWalk {
  readonly failures: VerifyFailure[] = [];
  rows = 0;
  private expectedSeq = 1n;
  private previous = GENESIS_HASH;
  private lastRowId = -1n;
  /** The last row shown to the walk or passed over, to know whether clean rows came in between. */
  lastSeenId: string | null = null;
  private lastSeen: { seq: bigint; id: bigint } | null = null;

  constructor(
    readonly chainId: string,
    private readonly maxFailures: number,
    /** Stretches of this chain detached with an archived month, crossed on their signed hashes. */
    private readonly archived: readonly ArchivedSpan[] = [],
  ) {}

  /**
   * Crosses the archived spans that start where the walk stands (`expectedSeq - 1`), as long
   * as they end before `until`: the hash the walk holds must be the one the span's start
   * signed, and the walk goes on from the hash its end signed. Answers the state after them.
   */
  private crossArchived(expectedSeq: bigint, previous: string, until: bigint | null): { expectedSeq: bigint; previous: string } {
    for (;;) {
      const span = this.archived.find((s) => s.fromSeq === expectedSeq - 1n && (until === null || s.toSeq < until));
      if (span === undefined) return { expectedSeq, previous };
      if (previous !== span.fromHash) {
        this.fail({
          kind: 'checkpoint_hash_mismatch',
          seq: span.fromSeq.toString(),
          rowId: null,
          eventId: null,
          message: `position ${span.fromSeq} holds ${previous}, but the archive of ${span.month} signed ${span.fromHash} as where its stretch begins`,
          signedHash: span.fromHash,
          foundHash: previous,
          checkpoint: span.origin,
        });
      }
      expectedSeq = span.toSeq + 1n;
      previous = span.toHash;
    }
  }

  private fail(f: Omit<VerifyFailure, 'chainId'>): void {
    if (this.failures.length < this.maxFailures) this.failures.push({ chainId: this.chainId, ...f });
  }

  /** Takes `row` as the last accepted row, as the walk would after a run of clean rows ending with it. */
  acceptedUpTo(row: { seq: string; id: string; chainHash: string }): void {
    this.expectedSeq = BigInt(row.seq) + 1n;
    this.previous = row.chainHash;
    this.lastRowId = BigInt(row.id);
    this.seen(row);
  }

  private seen(row: { seq: string; id: string }): void {
    this.lastSeenId = row.id;
    this.lastSeen = { seq: BigInt(row.seq), id: BigInt(row.id) };
  }

  /** Whether `row` comes after the last row seen in (chain_seq, id) order, as the walk requires. */
  isAfterLastSeen(row: { seq: string; id: string }): boolean {
    if (this.lastSeen === null) return true;
    const seq = BigInt(row.seq);
    return seq > this.lastSeen.seq || (seq === this.lastSeen.seq && BigInt(row.id) > this.lastSeen.id);
  }

  step(row: WalkRow): void {
    const seq = BigInt(row.seq);
    const rowId = BigInt(row.id);
    if (seq > this.expectedSeq && this.archived.length > 0) ({ expectedSeq: this.expectedSeq, previous: this.previous } = this.crossArchived(this.expectedSeq, this.previous, seq));
    this.seen(row);
    const where = { seq: row.seq, rowId: row.id, eventId: row.eventId };
    if (seq < this.expectedSeq) {
      this.fail({ kind: 'row_inserted', ...where, message: `a second row claims position ${row.seq}` });
      return;
    }
    if (seq > this.expectedSeq) {
      this.fail({
        kind: 'rows_missing',
        ...where,
        seq: this.expectedSeq.toString(),
        message: `positions ${this.expectedSeq}..${seq - 1n} are missing before event ${row.eventId}`,
      });
      // The link cannot be checked across a gap: resume from this row's stored link.
      this.previous = row.chainHash;
      this.expectedSeq = seq + 1n;
      this.lastRowId = rowId;
      this.contentCheck(row, where);
      return;
    }
    if (rowId < this.lastRowId) {
      this.fail({ kind: 'row_inserted', ...where, message: `row ${row.id} was written after the rows that follow it in the chain` });
    }
    const contentOk = this.contentCheck(row, where);
    if (contentOk && chainLink(seq, this.previous, row.contentHash) !== row.chainHash) {
      this.fail({ kind: 'link_broken', ...where, message: `the stored link of position ${row.seq} does not follow from the previous one` });
    }
    this.previous = row.chainHash;
    this.expectedSeq = seq + 1n;
    this.lastRowId = rowId;
  }

  private contentCheck(row: WalkRow, where: { seq: string; rowId: string; eventId: string }): boolean {
    if (!row.contentOk) this.fail({ kind: 'content_edited', ...where, message: `event ${row.eventId} at position ${row.seq} no longer matches its hash` });
    return row.contentOk;
  }

  /** Compares the end of the walk with the chain's head record; the walk itself is left as it was. */
  finish(head: { head_seq: string; head_hash: string } | undefined): { report: ChainReport; failures: VerifyFailure[] } {
    // A chain whose last rows were archived ends on the signed end of the last span.
    const crossed = this.archived.length > 0 ? this.crossArchived(this.expectedSeq, this.previous, null) : { expectedSeq: this.expectedSeq, previous: this.previous };
    const failures = [...this.failures];
    const fail = (f: Omit<VerifyFailure, 'chainId'>) => {
      if (failures.length < this.maxFailures) failures.push({ chainId: this.chainId, ...f });
    };
    const lastSeq = crossed.expectedSeq - 1n;
    if (head === undefined) {
      fail({ kind: 'head_mismatch', seq: lastSeq.toString(), rowId: null, eventId: null, message: 'the chain has rows but no head record' });
    } else {
      const headSeq = BigInt(head.head_seq);
      if (headSeq > lastSeq) {
        fail({ kind: 'tail_missing', seq: (lastSeq + 1n).toString(), rowId: null, eventId: null, message: `the head says ${headSeq} rows, the last row found is ${lastSeq}` });
      } else if (headSeq < lastSeq) {
        fail({ kind: 'row_inserted', seq: (headSeq + 1n).toString(), rowId: null, eventId: null, message: `rows beyond the recorded head ${headSeq} (up to ${lastSeq})` });
      } else if (head.head_hash !== crossed.previous) {
        fail({ kind: 'head_mismatch', seq: lastSeq.toString(), rowId: null, eventId: null, message: 'the recorded head hash does not match the last link' });
      }
    }
    return { report: { chainId: this.chainId, rows: this.rows, headSeq: lastSeq.toString(), headHash: crossed.previous }, failures };
  }
}
