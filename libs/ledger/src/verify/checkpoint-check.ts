import type { CHECKPOINT_FAILURE_KINDS } from '@qadaga/contracts/api';
import canonicalize from 'canonicalize';
import type { PoolClient } from 'pg';
import { toCheckpoint, type CheckpointRow, type StoredCheckpoint } from '@qadaga/db';

/**
 * Comparison of the rows with the signed checkpoints, the way Certificate Transparency
 * holds a log to its signed tree heads. Recomputing a chain from its rows cannot catch
 * whoever rewrites the rows and every later link (the database's superuser can): the
 * chain then recomputes cleanly. What such a person cannot do without the signing key
 * is make a signed position hold another hash, or make a signed head vanish.
 */

/**
 * What holding rows to a signed checkpoint can find (the contract lists and explains the
 * kinds): a signed position holding another hash, a signed row gone, a head behind a signed
 * position, a bad signature, a checkpoint deleted from or altered in the database.
 */
export type CheckpointFailureKind = (typeof CHECKPOINT_FAILURE_KINDS)[number];

/** Which checkpoint a failure comes from, and whether it was read from the database or from a copy. */
export interface CheckpointOrigin {
  id: string;
  at: string;
  origin: 'database' | 'file';
}

export interface CheckpointFinding {
  kind: CheckpointFailureKind;
  /** The chain (or access-log lane) concerned; null for a failure of the checkpoint itself. */
  chain: string | null;
  seq: string | null;
  signedHash: string | null;
  foundHash: string | null;
  checkpoint: CheckpointOrigin;
  message: string;
}

export type SignatureCheck = (checkpoint: StoredCheckpoint) => { ok: true } | { ok: false; reason: string };

export interface CheckpointOptions {
  /** Checkpoints kept outside the product (the items of GET /v1/checkpoints), compared as well. */
  external?: readonly StoredCheckpoint[];
  /**
   * Whether a checkpoint's signature holds, with the keys the caller trusts. Without it the
   * signatures are not checked (this library holds no keys) and the summary says so.
   */
  signature?: SignatureCheck;
}

export interface CheckpointSummary {
  /** Checkpoints whose signed heads were compared with the rows. */
  checked: number;
  /** Checkpoints given from outside the database. */
  fromFile: number;
  signaturesChecked: boolean;
}

/** The checkpoints to hold the rows to, with what is wrong with the checkpoints themselves. */
export interface TrustedCheckpoints {
  checkpoints: { checkpoint: StoredCheckpoint; origin: CheckpointOrigin }[];
  findings: CheckpointFinding[];
  summary: CheckpointSummary;
}

/** One signed head: a position of a chain and the hash signed for it. */
export interface SignedPosition {
  chain: string;
  seq: bigint;
  hash: string;
  origin: CheckpointOrigin;
}

const PAGE = 1_000;

/**
 * Every stored checkpoint and every one given from outside, with a failure named for each
 * that is missing from the database, altered in it, or not signed by a trusted key. A
 * checkpoint whose signature fails is left out: its heads prove nothing.
 */
export async function trustedCheckpoints(client: PoolClient, options: CheckpointOptions = {}): Promise<TrustedCheckpoints> {
  const stored: StoredCheckpoint[] = [];
  // Keyset pages, so a long history is read without one huge result.
  for (let after = '0'; ; ) {
    const { rows } = await client.query<CheckpointRow>('SELECT * FROM ledger_checkpoint WHERE id > $1 ORDER BY id LIMIT ' + PAGE, [after]);
    stored.push(...rows.map(toCheckpoint));
    const last = rows.at(-1);
    if (last === undefined || rows.length < PAGE) break;
    after = last.id;
  }
  const findings: CheckpointFinding[] = [];
  const candidates: { checkpoint: StoredCheckpoint; origin: CheckpointOrigin }[] = stored.map((c) => ({ checkpoint: c, origin: { id: c.id, at: c.at, origin: 'database' } }));
  const byId = new Map(stored.map((c) => [c.id, c]));
  for (const copy of options.external ?? []) {
    const origin: CheckpointOrigin = { id: copy.id, at: copy.at, origin: 'file' };
    const held = byId.get(copy.id);
    if (held === undefined) {
      findings.push({ kind: 'checkpoint_missing_from_database', chain: null, seq: null, signedHash: null, foundHash: null, checkpoint: origin, message: `checkpoint ${copy.id} (${copy.at}) is in the copy kept elsewhere but not in the database` });
      candidates.push({ checkpoint: copy, origin });
      continue;
    }
    const differing = differingFields(held, copy);
    if (differing.length > 0) {
      findings.push({
        kind: 'checkpoint_altered',
        chain: null,
        seq: null,
        signedHash: null,
        foundHash: null,
        checkpoint: { id: held.id, at: held.at, origin: 'database' },
        message: `checkpoint ${held.id} in the database differs from the copy kept elsewhere in ${differing.join(', ')}`,
      });
      // Both are held to their signatures below; the copy's heads count as well.
      candidates.push({ checkpoint: copy, origin });
    }
  }
  const trusted = options.signature === undefined ? candidates : candidates.filter(({ checkpoint, origin }) => {
    const result = (options.signature as SignatureCheck)(checkpoint);
    if (result.ok) return true;
    findings.push({ kind: 'checkpoint_signature_invalid', chain: null, seq: null, signedHash: null, foundHash: null, checkpoint: origin, message: `checkpoint ${origin.id} (${origin.at}, ${origin.origin}): ${result.reason}; its heads are not used` });
    return false;
  });
  return {
    checkpoints: trusted,
    findings,
    summary: { checked: new Set(candidates.map((c) => c.checkpoint.id)).size, fromFile: options.external?.length ?? 0, signaturesChecked: options.signature !== undefined },
  };
}

function differingFields(a: StoredCheckpoint, b: StoredCheckpoint): string[] {
  const fields = ['at', 'ledgerHeads', 'accessLogHead', 'keyId', 'publicKey', 'signature'] as const;
  // Canonical JSON: jsonb hands objects back with their keys in its own order.
  const normal = (c: StoredCheckpoint, f: (typeof fields)[number]) => canonicalize(f === 'at' ? new Date(c.at).toISOString() : c[f]);
  return fields.filter((f) => normal(a, f) !== normal(b, f));
}

/** The ledger heads the checkpoints signed. */
export function signedLedgerPositions(checkpoints: TrustedCheckpoints['checkpoints']): SignedPosition[] {
  return checkpoints.flatMap(({ checkpoint, origin }) => checkpoint.ledgerHeads.map((h) => ({ chain: h.chainId, seq: BigInt(h.seq), hash: h.hash, origin })));
}

/** The access-log lane heads the checkpoints signed; lanes are named by their number. */
export function signedAccessLogPositions(checkpoints: TrustedCheckpoints['checkpoints']): SignedPosition[] {
  return checkpoints.flatMap(({ checkpoint, origin }) => (checkpoint.accessLogHead?.lanes ?? []).map((l) => ({ chain: String(l.lane), seq: BigInt(l.seq), hash: l.hash, origin })));
}

/** What the rows hold at a position: every row found there (more than one if one was inserted). */
export type PositionLookup = (positions: { chain: string; seq: bigint }[]) => Promise<{ chain: string; seq: string; hash: string }[]>;

interface SignedAt {
  seq: bigint;
  hash: string;
  /** The first checkpoint that signed this hash here, and the last. */
  first: CheckpointOrigin;
  last: CheckpointOrigin;
  count: number;
}

/**
 * Holds the rows to the signed positions: one lookup per distinct signed position, in one
 * query, however many checkpoints signed it. Per chain, the first position that no longer
 * holds its signed hash is named (later ones follow from it), with the last signed position
 * that still holds, which bounds where the rewrite lies; a head behind the furthest signed
 * position is named once.
 */
export async function compareSignedPositions(
  signed: readonly SignedPosition[],
  heads: ReadonlyMap<string, { seq: string; hash: string }>,
  lookup: PositionLookup,
  label: (chain: string) => string,
): Promise<CheckpointFinding[]> {
  const byChain = new Map<string, Map<string, SignedAt>>();
  for (const p of signed) {
    let chain = byChain.get(p.chain);
    if (chain === undefined) byChain.set(p.chain, (chain = new Map()));
    const key = `${p.seq}:${p.hash}`;
    const at = chain.get(key);
    if (at === undefined) chain.set(key, { seq: p.seq, hash: p.hash, first: p.origin, last: p.origin, count: 1 });
    else {
      at.last = p.origin;
      at.count += 1;
    }
  }
  // Position 0 is the genesis of an empty lane: there is no row to look up.
  const positions = [...byChain].flatMap(([chain, at]) => [...at.values()].filter((s) => s.seq > 0n).map((s) => ({ chain, seq: s.seq })));
  const found = new Map<string, string[]>();
  for (const row of await lookup(positions)) {
    const key = `${row.chain}\u0000${row.seq}`;
    found.set(key, [...(found.get(key) ?? []), row.hash]);
  }

  const findings: CheckpointFinding[] = [];
  for (const chain of [...byChain.keys()].sort()) {
    const positionsSigned = [...(byChain.get(chain) as Map<string, SignedAt>).values()].sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
    const head = heads.get(chain);
    const headSeq = head === undefined ? -1n : BigInt(head.seq);
    const furthest = positionsSigned.at(-1) as SignedAt;
    if (furthest.seq > headSeq) {
      const rows = found.get(`${chain}\u0000${furthest.seq}`) ?? [];
      findings.push({
        kind: 'head_behind_checkpoint',
        chain,
        seq: furthest.seq.toString(),
        signedHash: furthest.hash,
        foundHash: rows[0] ?? null,
        checkpoint: furthest.first,
        message:
          head === undefined
            ? `${label(chain)} is gone, but checkpoint ${signedBy(furthest)} signed its head at position ${furthest.seq}`
            : `the head of ${label(chain)} is at position ${head.seq}, behind position ${furthest.seq} that checkpoint ${signedBy(furthest)} signed`,
      });
    }
    let lastHeld: SignedAt | null = null;
    const broken: { at: SignedAt; hash: string | null }[] = [];
    for (const at of positionsSigned) {
      if (at.seq === 0n || at.seq > headSeq) continue;
      const rows = found.get(`${chain}\u0000${at.seq}`) ?? [];
      const other = rows.find((h) => h !== at.hash);
      if (rows.length === 0) broken.push({ at, hash: null });
      else if (other !== undefined) broken.push({ at, hash: other });
      else if (broken.length === 0) lastHeld = at;
    }
    const first = broken[0];
    if (first === undefined) continue;
    const bound = lastHeld === null ? `at or before position ${first.at.seq}` : `between positions ${lastHeld.seq + 1n} and ${first.at.seq} (position ${lastHeld.seq} still holds its signed hash)`;
    const later = broken.length > 1 ? `; ${broken.length - 1} later signed positions of it differ too` : '';
    findings.push({
      kind: first.hash === null ? 'checkpoint_row_missing' : 'checkpoint_hash_mismatch',
      chain,
      seq: first.at.seq.toString(),
      signedHash: first.at.hash,
      foundHash: first.hash,
      checkpoint: first.at.first,
      message:
        (first.hash === null
          ? `no row holds position ${first.at.seq} of ${label(chain)}, which checkpoint ${signedBy(first.at)} signed as ${first.at.hash}`
          : `position ${first.at.seq} of ${label(chain)} holds ${first.hash}, but checkpoint ${signedBy(first.at)} signed ${first.at.hash}`) +
        `: the rows were rewritten ${bound}${later}`,
    });
  }
  return findings;
}

function signedBy(at: SignedAt): string {
  const first = `${at.first.id} (${at.first.at}${at.first.origin === 'file' ? ', from the copy kept elsewhere' : ''})`;
  return at.count === 1 ? first : `${first} and ${at.count - 1} later, up to checkpoint ${at.last.id}`;
}

/** The rows at the given positions of the ledger's chains, through the (chain_id, chain_seq) index. */
export function ledgerPositionLookup(client: PoolClient): PositionLookup {
  return async (positions) => {
    if (positions.length === 0) return [];
    const { rows } = await client.query<{ chain_id: string; chain_seq: string; chain_hash: string }>(
      `SELECT e.chain_id, e.chain_seq, e.chain_hash
       FROM unnest($1::text[], $2::bigint[]) AS p(chain_id, seq)
       JOIN ledger_event e ON e.chain_id = p.chain_id AND e.chain_seq = p.seq`,
      [positions.map((p) => p.chain), positions.map((p) => p.seq.toString())],
    );
    return rows.map((r) => ({ chain: r.chain_id, seq: r.chain_seq, hash: r.chain_hash }));
  };
}

/** The rows at the given positions of the access-log lanes, through the (lane, seq) index. */
export function accessLogPositionLookup(client: PoolClient): PositionLookup {
  return async (positions) => {
    if (positions.length === 0) return [];
    const { rows } = await client.query<{ lane: number; seq: string; chain_hash: string }>(
      `SELECT a.lane, a.seq, a.chain_hash
       FROM unnest($1::int[], $2::bigint[]) AS p(lane, seq)
       JOIN access_log a ON a.lane = p.lane AND a.seq = p.seq`,
      [positions.map((p) => Number(p.chain)), positions.map((p) => p.seq.toString())],
    );
    return rows.map((r) => ({ chain: String(r.lane), seq: r.seq, hash: r.chain_hash }));
  };
}
