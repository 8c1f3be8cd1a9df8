import { canonicalEventForm, chainLink, sha256Hex } from '@qadaga/domain/hashing';
import { rowToEvent, type LedgerEventRow } from '../ledger-row.js';
import { readLine } from './copy-line.js';
import type { WalkRow } from './chain-walk.js';

/** The row before this one in the same chain and the same batch. */
export interface Predecessor {
  seq: string;
  id: string;
  chainHash: string;
}

export interface BatchRow extends WalkRow {
  pred: Predecessor | null;
  /** Comes before its predecessor in (chain_seq, id) order: the stream is not in chain order. */
  unordered: boolean;
}

/** One chain's rows within a batch: how many, and the ones the walk has to see. */
export interface BatchSegment {
  chainId: string;
  count: number;
  rows: BatchRow[];
}

export interface BatchResult {
  segments: BatchSegment[];
}

/** Recomputes the content hash from the row's columns; a mismatch means the row was edited. */
export function contentMatches(row: LedgerEventRow): boolean {
  return sha256Hex(canonicalEventForm(rowToEvent(row))) === row.content_hash;
}

export function toWalkRow(row: LedgerEventRow, contentOk: boolean): WalkRow {
  return { seq: row.chain_seq, id: row.id, eventId: row.event_id, contentHash: row.content_hash, chainHash: row.chain_hash, contentOk };
}

/** Positions and ids up to 2^53 compare exactly as numbers; beyond, the row is left to the walk's bigints. */
const SAFE_DIGITS = 15;

/** The previous row of a chain in the batch, kept as plain fields until the walk needs it. */
interface Tail {
  segment: BatchSegment;
  seqText: string;
  idText: string;
  seq: number;
  id: number;
  eventId: string;
  contentHash: string;
  chainHash: string;
  contentOk: boolean;
  unordered: boolean;
  /** The row before, in the same chain and batch (none for the first). */
  predSeq: string | null;
  predId: string;
  predChainHash: string;
  /** Whether that row followed cleanly from the one before it (a first row never does). */
  clean: boolean;
  shown: boolean;
}

function shownRow(t: Tail): BatchRow {
  const pred = t.predSeq === null ? null : { seq: t.predSeq, id: t.predId, chainHash: t.predChainHash };
  return { seq: t.seqText, id: t.idText, eventId: t.eventId, contentHash: t.contentHash, chainHash: t.chainHash, contentOk: t.contentOk, pred, unordered: t.unordered };
}

function before(seqText: string, idText: string, t: Tail): boolean {
  const seq = BigInt(seqText);
  const predSeq = BigInt(t.seqText);
  return seq < predSeq || (seq === predSeq && BigInt(idText) <= BigInt(t.idText));
}

/**
 * Checks every row of a batch of COPY lines: its content hash, and its link to the row
 * before it in the same chain when both are in the batch. Returns only what the
 * sequential walk must see: each chain's first and last row in the batch, every row
 * that does not follow cleanly from its predecessor, and the row after each of those
 * (where the walk's state may differ from the predecessor). A row left out was clean
 * and followed a clean row, so the walk would have accepted it without a word.
 */
export function checkBatch(text: string): BatchResult {
  const tails = new Map<string, Tail>();
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const lineStart = start;
    start = end + 1;
    if (end === lineStart) continue;
    const row = readLine(text, lineStart, end);
    const contentOk = row.contentOk;
    const exact = row.chainSeq.length <= SAFE_DIGITS && row.id.length <= SAFE_DIGITS;
    const seq = Number(row.chainSeq);
    const id = Number(row.id);
    const t = tails.get(row.chainId);
    if (t === undefined) {
      const segment: BatchSegment = { chainId: row.chainId, count: 1, rows: [] };
      const first: Tail = {
        segment, seqText: row.chainSeq, idText: row.id, seq, id, eventId: row.eventId, contentHash: row.contentHash, chainHash: row.chainHash,
        contentOk, unordered: false, predSeq: null, predId: '', predChainHash: '', clean: false, shown: true,
      };
      segment.rows.push(shownRow(first));
      tails.set(row.chainId, first);
      continue;
    }
    t.segment.count += 1;
    const numeric = exact && t.seqText.length <= SAFE_DIGITS && t.idText.length <= SAFE_DIGITS;
    const unordered = numeric ? seq < t.seq || (seq === t.seq && id <= t.id) : before(row.chainSeq, row.id, t);
    const clean = numeric && contentOk && seq === t.seq + 1 && id > t.id && chainLink(seq, t.chainHash, row.contentHash) === row.chainHash;
    const shown = !clean || !t.clean;
    t.predSeq = t.seqText;
    t.predId = t.idText;
    t.predChainHash = t.chainHash;
    t.seqText = row.chainSeq;
    t.idText = row.id;
    t.seq = seq;
    t.id = id;
    t.eventId = row.eventId;
    t.contentHash = row.contentHash;
    t.chainHash = row.chainHash;
    t.contentOk = contentOk;
    t.unordered = unordered;
    t.clean = clean;
    t.shown = shown;
    if (shown) t.segment.rows.push(shownRow(t));
  }
  const segments: BatchSegment[] = [];
  for (const t of tails.values()) {
    if (!t.shown) t.segment.rows.push(shownRow(t));
    segments.push(t.segment);
  }
  return { segments };
}
