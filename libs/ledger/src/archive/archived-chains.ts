import { GENESIS_HASH } from '@qadaga/domain/hashing';
import type { PoolClient } from 'pg';
import type { StoredCheckpoint } from '@qadaga/db';
import type { CheckpointFinding, CheckpointOrigin, PositionLookup, SignatureCheck, SignedPosition } from '../verify/checkpoint-check.js';
import { readArchiveRecords, type ArchiveRecord } from './archive-records.js';

/**
 * A stretch of one chain whose rows left the database with an archived month: positions
 * fromSeq + 1 .. toSeq, between two signed hashes.
 */
export interface ArchivedSpan {
  month: string;
  fromSeq: bigint;
  fromHash: string;
  toSeq: bigint;
  toHash: string;
  origin: CheckpointOrigin;
}

/** What the live verifier takes from the archived months. */
export interface ArchivedChains {
  /** The chains with detached spans. */
  chainIds: string[];
  /** The detached spans of a chain, in position order: the walk crosses them on their signed hashes. */
  spansOf(chainId: string): ArchivedSpan[];
  /** Whether a position's row left with a detached month (a signed position there has no row to hold). */
  isDetached(chainId: string, seq: bigint): boolean;
  /** Boundary positions whose rows are still live, to hold to their signed hashes like any checkpoint's. */
  signed: SignedPosition[];
  /** Archive records whose checkpoints are malformed or not signed by a trusted key. */
  findings: CheckpointFinding[];
  /** How many archive checkpoints were read. */
  checkpoints: number;
}

export const NO_ARCHIVES: ArchivedChains = { chainIds: [], spansOf: () => [], isDetached: () => false, signed: [], findings: [], checkpoints: 0 };

/** The boundary checkpoint's name in reports: which month, which end. */
export const archiveCheckpointId = (month: string, edge: 'start' | 'end') => `archive ${month} ${edge}`;

/**
 * Reads the archived months and keeps only what their signatures prove. A record whose
 * start or end checkpoint fails the caller's signature check is reported and not used: the
 * walk then meets the detached rows as missing, as it would without any record, so
 * rewriting this table can hide nothing. Without a signature check (this library holds no
 * keys) the checkpoints are taken as stored, as the stored checkpoints are.
 */
export async function readArchivedChains(client: Pick<PoolClient, 'query'>, signature: SignatureCheck | undefined): Promise<ArchivedChains> {
  const exists = await client.query<{ t: string | null }>(`SELECT to_regclass('ledger_archive')::text AS t`);
  if (exists.rows[0]?.t === null || exists.rows[0]?.t === undefined) return NO_ARCHIVES;
  const records = await readArchiveRecords(client);
  if (records.length === 0) return NO_ARCHIVES;
  const findings: CheckpointFinding[] = [];
  const spans = new Map<string, ArchivedSpan[]>();
  const signed: SignedPosition[] = [];
  for (const record of records) {
    const start = checkedCheckpoint(record, 'start', signature, findings);
    const end = checkedCheckpoint(record, 'end', signature, findings);
    if (start === null || end === null) continue;
    const origin = { id: end.checkpoint.id, at: end.checkpoint.at, origin: 'database' } as const;
    const startOrigin = { id: start.checkpoint.id, at: start.checkpoint.at, origin: 'database' } as const;
    const before = new Map(start.checkpoint.ledgerHeads.map((h) => [h.chainId, h]));
    for (const head of end.checkpoint.ledgerHeads) {
      const from = before.get(head.chainId);
      const span: ArchivedSpan = { month: record.month, fromSeq: BigInt(from?.seq ?? '0'), fromHash: from?.hash ?? GENESIS_HASH, toSeq: BigInt(head.seq), toHash: head.hash, origin };
      if (span.toSeq <= span.fromSeq) continue;
      if (record.detachedAt === null) {
        // Its rows are still live: both ends are held to the rows like any signed head.
        signed.push({ chain: head.chainId, seq: span.toSeq, hash: span.toHash, origin });
      } else {
        spans.set(head.chainId, [...(spans.get(head.chainId) ?? []), span]);
      }
      if (span.fromSeq > 0n) signed.push({ chain: head.chainId, seq: span.fromSeq, hash: span.fromHash, origin: startOrigin });
    }
  }
  for (const list of spans.values()) list.sort((a, b) => (a.fromSeq < b.fromSeq ? -1 : a.fromSeq > b.fromSeq ? 1 : 0));
  const isDetached = (chainId: string, seq: bigint) => (spans.get(chainId) ?? []).some((s) => seq > s.fromSeq && seq <= s.toSeq);
  return {
    chainIds: [...spans.keys()].sort(),
    spansOf: (chainId) => spans.get(chainId) ?? [],
    isDetached,
    // A start position may itself lie in an earlier detached month: its row is gone, the walk joins the two spans instead.
    signed: signed.filter((p) => !isDetached(p.chain, p.seq)),
    findings,
    checkpoints: records.length * 2,
  };
}

function checkedCheckpoint(record: ArchiveRecord, edge: 'start' | 'end', signature: SignatureCheck | undefined, findings: CheckpointFinding[]): { checkpoint: StoredCheckpoint } | null {
  const stored = edge === 'start' ? record.startCheckpoint : record.endCheckpoint;
  const id = archiveCheckpointId(record.month, edge);
  const origin: CheckpointOrigin = { id, at: typeof stored?.at === 'string' ? stored.at : record.archivedAt, origin: 'database' };
  const fail = (reason: string) => {
    findings.push({ kind: 'checkpoint_signature_invalid', chain: null, seq: null, signedHash: null, foundHash: null, checkpoint: origin, message: `${id} (ledger_archive): ${reason}; the archived month's rows count as missing` });
    return null;
  };
  if (!isCheckpoint(stored)) return fail('not a signed checkpoint (at, ledgerHeads, keyId, publicKey, signature)');
  const checkpoint: StoredCheckpoint = { ...stored, id };
  if (signature !== undefined) {
    const result = signature(checkpoint);
    if (!result.ok) return fail(result.reason);
  }
  return { checkpoint };
}

function isCheckpoint(value: unknown): value is StoredCheckpoint {
  const c = value as Partial<StoredCheckpoint> | null;
  return (
    c !== null &&
    typeof c === 'object' &&
    typeof c.at === 'string' &&
    typeof c.keyId === 'string' &&
    typeof c.publicKey === 'string' &&
    typeof c.signature === 'string' &&
    Array.isArray(c.ledgerHeads) &&
    c.ledgerHeads.every((h) => typeof h?.chainId === 'string' && typeof h.seq === 'string' && /^(0|[1-9][0-9]*)$/u.test(h.seq) && typeof h.hash === 'string')
  );
}

/**
 * A position lookup that answers, for a position that left with a detached month and ends
 * its stretch, the hash the archive signed there: a chain idle since an archived month has
 * its newest signed position there, and the checkpoint signer must still see it held. The
 * hash answered is compared with the one the previous checkpoint signed, so a record
 * rewritten in the database can raise an alarm but never pass a rewrite.
 */
export function archiveAwareLookup(lookup: PositionLookup, archived: ArchivedChains): PositionLookup {
  return async (positions) => {
    const gone = positions.filter((p) => archived.isDetached(p.chain, p.seq));
    const live = positions.filter((p) => !archived.isDetached(p.chain, p.seq));
    const fromArchive = gone.flatMap((p) => archived.spansOf(p.chain).filter((s) => s.toSeq === p.seq).map((s) => ({ chain: p.chain, seq: p.seq.toString(), hash: s.toHash })));
    return [...(await lookup(live)), ...fromArchive];
  };
}
