import { readFileSync } from 'node:fs';
import canonicalize from 'canonicalize';
import { publicKeyOfPem, verifySignature, type KeyRing, type Signature } from './key-ring.js';

/**
 * A checkpoint is the product's signed statement of every chain's head at one moment.
 * Once published, no row at or before those heads can change without breaking a link
 * that leads to a signed hash, so a bundle proves its events by chaining up to one.
 */

export interface LedgerHead {
  chainId: string;
  /** Position of the head in its chain; signed as a decimal string (positions are int8). */
  seq: string | number;
  hash: string;
}

/** The access log's head(s), signed as given, e.g. { lanes: [{ lane, seq, hash }] }. */
export type AccessLogHead = Readonly<Record<string, unknown>> | null;

export interface CheckpointBody<A extends AccessLogHead = AccessLogHead> {
  /** ISO 8601 instant the heads were read; signed with millisecond precision, as stored. */
  at: string;
  ledgerHeads: LedgerHead[];
  accessLogHead: A;
}

/** A checkpoint as signed: positions are decimal strings, ready to store in ledger_checkpoint. */
export interface SignedCheckpoint<A extends AccessLogHead = AccessLogHead> extends Signature {
  at: string;
  ledgerHeads: { chainId: string; seq: string; hash: string }[];
  accessLogHead: A;
}

/** The exact text signed: RFC 8785 canonical JSON of the body alone. */
export function checkpointSigningText(body: CheckpointBody): string {
  const text = canonicalize({ at: body.at, ledgerHeads: body.ledgerHeads, accessLogHead: body.accessLogHead });
  if (text === undefined) throw new Error('checkpoint cannot be canonicalised');
  return text;
}

/**
 * Signs the heads in the form they are stored in (ledger_checkpoint: timestamptz(3), jsonb),
 * so a checkpoint read back verifies: the time to the millisecond, positions as decimal
 * strings, heads in chain order.
 */
export function signCheckpoint<A extends AccessLogHead>(body: CheckpointBody<A>, keyRing: KeyRing): SignedCheckpoint<A> {
  const at = Date.parse(body.at);
  if (Number.isNaN(at)) throw new Error(`at: not an ISO 8601 instant (${body.at})`);
  const heads = body.ledgerHeads.map((h, i) => {
    const seq = String(h.seq);
    if (!/^(0|[1-9][0-9]*)$/u.test(seq)) throw new Error(`ledgerHeads[${i}].seq: a non-negative integer is required, got ${seq}`);
    if (!/^[0-9a-f]{64}$/u.test(h.hash)) throw new Error(`ledgerHeads[${i}].hash: 64 lowercase hex digits are required`);
    return { chainId: h.chainId, seq, hash: h.hash };
  });
  const normalised = {
    at: new Date(at).toISOString(),
    ledgerHeads: heads.sort((a, b) => (a.chainId < b.chainId ? -1 : a.chainId > b.chainId ? 1 : 0)),
    accessLogHead: (body.accessLogHead === null ? null : JSON.parse(JSON.stringify(body.accessLogHead))) as A,
  };
  return { ...normalised, ...keyRing.sign(checkpointSigningText(normalised)) };
}

export interface TrustOptions {
  /** Key ids (or raw base64 public keys) accepted as the product's; any other signer is reported. */
  trustedKeys?: readonly string[];
}

/**
 * Verifies a checkpoint with the public key it carries; with trusted keys, the signer
 * must also be one of them, so a checkpoint re-signed by anyone else is refused.
 */
export function verifyCheckpoint(cp: CheckpointBody & Signature, options: TrustOptions = {}): { ok: true } | { ok: false; reason: string } {
  const signed = verifySignature(checkpointSigningText(cp), cp);
  if (!signed.ok) return signed;
  if (options.trustedKeys !== undefined && !isTrusted(cp, options.trustedKeys)) {
    return { ok: false, reason: `signed by key id ${cp.keyId}, which is not among the trusted keys` };
  }
  return { ok: true };
}

export function isTrusted(signed: { keyId: string; publicKey: string }, trustedKeys: readonly string[]): boolean {
  return trustedKeys.includes(signed.keyId) || trustedKeys.includes(signed.publicKey);
}

/**
 * The ids of the product's keys, from its key files (SIGNING_KEY_FILES: PEM, private or,
 * for a retired key, public): the keys a stored checkpoint must be signed by.
 */
export function trustedKeysOfFiles(files: readonly string[]): string[] {
  return files.map((file, i) => {
    const name = `SIGNING_KEY_FILES[${i}] (${file})`;
    let pem: string;
    try {
      pem = readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(`${name}: cannot be read (${(error as Error).message})`);
    }
    return publicKeyOfPem(pem, name).keyId;
  });
}
