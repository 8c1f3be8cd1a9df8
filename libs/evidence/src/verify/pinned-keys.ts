import { createPublicKey } from 'node:crypto';
import { SIGNATURE_ALGORITHM, keyIdOf, publicKeyFromBase64, rawPublicKey } from '../signing/key-ring.js';

/**
 * The keys a reader holds as the product's, obtained apart from the bundle (the product
 * publishes them at GET /v1/keys). A bundle proves nothing about who made it by itself: a
 * thief can edit it, rehash it and sign it with a key of their own, so the signer is
 * checked against these and a signer outside them is "an unknown key".
 */
export interface PinnedKey {
  keyId: string;
  /** The raw Ed25519 public key in base64; null when only the id is pinned. */
  publicKey: string | null;
  /** When the key became the product's signer; null: no known start. */
  validFrom: string | null;
  /** When it was retired; null: it still signs. */
  validUntil: string | null;
}

/** One key as the product publishes it (GET /v1/keys answers `{ keys: PublishedKey[] }`). */
export interface PublishedKey {
  keyId: string;
  publicKey: string;
  algorithm: typeof SIGNATURE_ALGORITHM;
  validFrom: string | null;
  validUntil: string | null;
}

/** Keys that cannot be read, with the source and field at fault. */
export class PinnedKeysError extends Error {
  constructor(
    readonly source: string,
    readonly field: string,
    reason: string,
  ) {
    super(`${source}: ${field === '' ? '' : `${field}: `}${reason}`);
    this.name = 'PinnedKeysError';
  }
}

const KEY_ID = /^[0-9a-f]{16}$/u;

/** Key ids or raw base64 public keys, as `--trust` takes them: no validity period is known. */
export function pinnedKeysFromList(items: readonly string[], source = 'trusted keys'): PinnedKey[] {
  return items.map((item, i) => {
    const token = item.trim();
    if (KEY_ID.test(token)) return { keyId: token, publicKey: null, validFrom: null, validUntil: null };
    if (publicKeyFromBase64(token) !== null) return { keyId: keyIdOf(token), publicKey: token, validFrom: null, validUntil: null };
    throw new PinnedKeysError(source, `[${i}]`, `"${token}" is neither a key id (16 hex digits) nor a base64 Ed25519 public key`);
  });
}

/**
 * Reads pinned keys from a file's text: the JSON GET /v1/keys answers (or its `keys` list
 * alone), one or more PEM public keys, or key ids / base64 public keys one per line or
 * separated by spaces or commas (`#` starts a comment).
 */
export function parsePinnedKeys(text: string, source: string): PinnedKey[] {
  const trimmed = text.trim();
  if (trimmed === '') throw new PinnedKeysError(source, '', 'holds no keys');
  let keys: PinnedKey[];
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) keys = fromJson(trimmed, source);
  else if (trimmed.includes('-----BEGIN')) keys = fromPem(trimmed, source);
  else {
    const tokens = trimmed
      .split(/\r?\n/u)
      .map((line) => line.replace(/#.*$/u, ''))
      .flatMap((line) => line.split(/[\s,]+/u))
      .filter((t) => t !== '');
    keys = pinnedKeysFromList(tokens, source);
  }
  if (keys.length === 0) throw new PinnedKeysError(source, '', 'holds no keys');
  return keys;
}

function fromJson(text: string, source: string): PinnedKey[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new PinnedKeysError(source, '', 'is not valid JSON');
  }
  const list = Array.isArray(doc) ? doc : (doc as { keys?: unknown } | null)?.keys;
  const at = Array.isArray(doc) ? '' : 'keys';
  if (!Array.isArray(list)) throw new PinnedKeysError(source, 'keys', 'a list of keys is required, as GET /v1/keys answers');
  return list.map((raw: unknown, i) => {
    const field = `${at}[${i}]`;
    const k = raw as Partial<Record<keyof PublishedKey, unknown>> | null;
    if (k === null || typeof k !== 'object') throw new PinnedKeysError(source, field, 'a key object is required');
    if (typeof k.keyId !== 'string' || !KEY_ID.test(k.keyId)) throw new PinnedKeysError(source, `${field}.keyId`, 'a key id of 16 hex digits is required');
    if (typeof k.publicKey !== 'string' || publicKeyFromBase64(k.publicKey) === null) throw new PinnedKeysError(source, `${field}.publicKey`, 'a base64 Ed25519 public key (32 bytes) is required');
    if (keyIdOf(k.publicKey) !== k.keyId) throw new PinnedKeysError(source, `${field}.keyId`, `${k.keyId} is not the fingerprint of the public key given (${keyIdOf(k.publicKey)})`);
    if (k.algorithm !== undefined && k.algorithm !== SIGNATURE_ALGORITHM) throw new PinnedKeysError(source, `${field}.algorithm`, `only ${SIGNATURE_ALGORITHM} is known, got ${String(k.algorithm)}`);
    return { keyId: k.keyId, publicKey: k.publicKey, validFrom: instantOrNull(k.validFrom, source, `${field}.validFrom`), validUntil: instantOrNull(k.validUntil, source, `${field}.validUntil`) };
  });
}

function instantOrNull(value: unknown, source: string, field: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw new PinnedKeysError(source, field, 'an ISO 8601 instant or null is required');
  return new Date(value).toISOString();
}

function fromPem(text: string, source: string): PinnedKey[] {
  const blocks = text.match(/-----BEGIN ([A-Z ]+)-----[\s\S]*?-----END \1-----/gu) ?? [];
  if (blocks.length === 0) throw new PinnedKeysError(source, '', 'holds no complete PEM block');
  return blocks.map((block, i) => {
    const field = blocks.length === 1 ? '' : `PEM block ${i + 1}`;
    if (!block.startsWith('-----BEGIN PUBLIC KEY-----')) throw new PinnedKeysError(source, field, 'a PUBLIC KEY block is required (never hand out the private key)');
    let raw: Buffer;
    try {
      const key = createPublicKey(block);
      if (key.asymmetricKeyType !== 'ed25519') throw new PinnedKeysError(source, field, `an Ed25519 key is required, got ${key.asymmetricKeyType ?? 'unknown'}`);
      raw = rawPublicKey(key);
    } catch (error) {
      if (error instanceof PinnedKeysError) throw error;
      throw new PinnedKeysError(source, field, 'not a readable PEM public key');
    }
    return { keyId: keyIdOf(raw), publicKey: raw.toString('base64'), validFrom: null, validUntil: null };
  });
}

/**
 * Checks a signer against the pinned keys and the time it claims against that key's
 * period. Answers a reason when refused, null when accepted.
 */
export function pinnedKeyRefusal(pins: readonly PinnedKey[], signed: { keyId: string; publicKey: string }, claimedAt: unknown): string | null {
  const pin = pins.find((p) => p.keyId === signed.keyId);
  if (pin === undefined) return `signed by an unknown key ${signed.keyId}: not among the ${pins.length} pinned key${pins.length === 1 ? '' : 's'}`;
  if (pin.publicKey !== null && pin.publicKey !== signed.publicKey) return `signed by an unknown key ${signed.keyId}: its public key is not the pinned key with that id`;
  if (pin.validFrom === null && pin.validUntil === null) return null;
  const at = typeof claimedAt === 'string' ? Date.parse(claimedAt) : Number.NaN;
  if (Number.isNaN(at)) return `states no valid time (${String(claimedAt)}) to check against the period of key ${signed.keyId}`;
  if (pin.validFrom !== null && at < Date.parse(pin.validFrom)) return `dated ${String(claimedAt)}, before key ${signed.keyId} became the product's signer at ${pin.validFrom}`;
  // Half-open: at the moment of rotation the new key signs, not the old.
  if (pin.validUntil !== null && at >= Date.parse(pin.validUntil)) return `dated ${String(claimedAt)}, after key ${signed.keyId} was retired at ${pin.validUntil}`;
  return null;
}
