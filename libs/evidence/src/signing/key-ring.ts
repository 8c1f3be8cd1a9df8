import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

/**
 * Ed25519 keys that sign bundles and checkpoints. A key is named by its id, the first
 * 16 hex digits of SHA-256 over the raw 32-byte public key, so anyone holding only the
 * public key can recompute the id and nothing about the id has to be trusted.
 */

export const SIGNATURE_ALGORITHM = 'Ed25519';

export interface SigningKeyPair {
  keyId: string;
  privateKeyPem: string;
  publicKeyPem: string;
  /** The raw public key in base64, as bundles and checkpoints embed it. */
  publicKey: string;
}

/** One key of the ring as configuration gives it: retired keys may keep only their public half. */
export interface KeyRingEntry {
  keyId: string;
  privateKeyPem?: string;
  publicKeyPem?: string;
}

export interface KeyRingConfig {
  activeKeyId: string;
  keys: KeyRingEntry[];
}

export interface Signature {
  keyId: string;
  publicKey: string;
  signature: string;
}

/** A key ring that cannot be used, with the configuration field at fault. */
export class KeyRingError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'KeyRingError';
  }
}

export function rawPublicKey(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new Error('not an Ed25519 key');
  return Buffer.from(jwk.x, 'base64url');
}

export function keyIdOf(publicKey: string | Buffer): string {
  const raw = typeof publicKey === 'string' ? Buffer.from(publicKey, 'base64') : publicKey;
  return createHash('sha256').update(raw).digest('hex').slice(0, 16);
}

/** The public key object for a raw base64 key; null when it is not 32 bytes of base64. */
export function publicKeyFromBase64(publicKey: string): KeyObject | null {
  if (!/^[A-Za-z0-9+/]{43}=$/u.test(publicKey)) return null;
  try {
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey, 'base64').toString('base64url') }, format: 'jwk' });
  } catch {
    return null;
  }
}

export function generateSigningKey(): SigningKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = rawPublicKey(publicKey);
  return {
    keyId: keyIdOf(raw),
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    publicKey: raw.toString('base64'),
  };
}

/**
 * Checks a signature with the public key it came with: the key id must be that key's
 * fingerprint and the signature must hold over exactly these bytes.
 */
export function verifySignature(data: string | Buffer, signed: Signature): { ok: true } | { ok: false; reason: string } {
  const key = publicKeyFromBase64(signed.publicKey);
  if (key === null) return { ok: false, reason: 'the public key is not a base64 Ed25519 key' };
  if (keyIdOf(signed.publicKey) !== signed.keyId) return { ok: false, reason: `key id ${signed.keyId} is not the fingerprint of the public key given (${keyIdOf(signed.publicKey)})` };
  let valid = false;
  try {
    valid = verify(null, typeof data === 'string' ? Buffer.from(data, 'utf8') : data, key, Buffer.from(signed.signature, 'base64'));
  } catch {
    valid = false;
  }
  return valid ? { ok: true } : { ok: false, reason: `the signature by key ${signed.keyId} does not match the signed content` };
}

interface RingKey {
  keyId: string;
  publicKey: string;
  privateKey: KeyObject | null;
}

/**
 * The product's signing keys. One active key signs; older keys stay in the ring, with or
 * without their private half, so what they signed still verifies after a rotation.
 */
export class KeyRing {
  private readonly byId = new Map<string, RingKey>();
  private readonly active: RingKey;
  /**
   * When the active key became the product's signer, once the signing process has recorded
   * it (null: not recorded, or it signed before periods were kept). Nothing it signs may be
   * dated earlier: a verifier holding the published periods would refuse it.
   */
  activeSince: string | null = null;

  constructor(config: KeyRingConfig) {
    if (config.keys.length === 0) throw new KeyRingError('keys', 'at least one key is required');
    config.keys.forEach((entry, i) => {
      const key = loadEntry(entry, `keys[${i}]`);
      if (this.byId.has(key.keyId)) throw new KeyRingError(`keys[${i}].keyId`, `key ${key.keyId} appears twice`);
      this.byId.set(key.keyId, key);
    });
    const active = this.byId.get(config.activeKeyId);
    if (active === undefined) throw new KeyRingError('activeKeyId', `no key with id ${config.activeKeyId} in the ring`);
    if (active.privateKey === null) throw new KeyRingError('activeKeyId', `key ${config.activeKeyId} has no private key and cannot sign`);
    this.active = active;
  }

  /** A ring of one key, for tools and tests. */
  static of(pair: { keyId: string; privateKeyPem: string }): KeyRing {
    return new KeyRing({ activeKeyId: pair.keyId, keys: [{ keyId: pair.keyId, privateKeyPem: pair.privateKeyPem }] });
  }

  get activeKeyId(): string {
    return this.active.keyId;
  }

  sign(data: string | Buffer): Signature {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const privateKey = this.active.privateKey as KeyObject;
    return { keyId: this.active.keyId, publicKey: this.active.publicKey, signature: sign(null, bytes, privateKey).toString('base64') };
  }

  /** Every public key of the ring, active first: what a bundle lists as the product's keys. */
  publicKeys(): { keyId: string; publicKey: string }[] {
    const rest = [...this.byId.values()].filter((k) => k !== this.active).sort((a, b) => a.keyId.localeCompare(b.keyId));
    return [this.active, ...rest].map((k) => ({ keyId: k.keyId, publicKey: k.publicKey }));
  }

  publicKeyOf(keyId: string): string | null {
    return this.byId.get(keyId)?.publicKey ?? null;
  }

  /**
   * A ring from PEM texts as SIGNING_KEY_FILES lists them: the first is the active key and
   * must be private; the others may be private or, once retired, public only. `names`
   * (the files) name the one at fault in an error.
   */
  static fromPem(pems: readonly string[], names: readonly string[] = pems.map((_, i) => `keys[${i}]`)): KeyRing {
    if (pems.length === 0) throw new KeyRingError('keys', 'at least one key is required');
    const entries = pems.map((pem, i): KeyRingEntry => {
      const name = names[i] ?? `keys[${i}]`;
      const { keyId } = publicKeyOfPem(pem, name);
      return /-----BEGIN (ENCRYPTED )?PRIVATE KEY-----/u.test(pem) ? { keyId, privateKeyPem: pem } : { keyId, publicKeyPem: pem };
    });
    return new KeyRing({ activeKeyId: (entries[0] as KeyRingEntry).keyId, keys: entries });
  }
}

/** The id and raw base64 public key of an Ed25519 key given as PEM, private (PKCS#8) or public (SPKI). */
export function publicKeyOfPem(pem: string, name = 'pem'): { keyId: string; publicKey: string } {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new KeyRingError(name, 'not a PEM key');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new KeyRingError(name, `an Ed25519 key is required, got ${key.asymmetricKeyType ?? 'unknown'}`);
  const raw = rawPublicKey(key);
  return { keyId: keyIdOf(raw), publicKey: raw.toString('base64') };
}

function loadEntry(entry: KeyRingEntry, path: string): RingKey {
  let privateKey: KeyObject | null = null;
  let publicKey: KeyObject;
  if (entry.privateKeyPem !== undefined) {
    try {
      privateKey = createPrivateKey(entry.privateKeyPem);
    } catch {
      throw new KeyRingError(`${path}.privateKeyPem`, 'not a PEM private key');
    }
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new KeyRingError(`${path}.privateKeyPem`, `an Ed25519 key is required, got ${privateKey.asymmetricKeyType ?? 'unknown'}`);
    publicKey = createPublicKey(privateKey);
  } else if (entry.publicKeyPem !== undefined) {
    try {
      publicKey = createPublicKey(entry.publicKeyPem);
    } catch {
      throw new KeyRingError(`${path}.publicKeyPem`, 'not a PEM public key');
    }
    if (publicKey.asymmetricKeyType !== 'ed25519') throw new KeyRingError(`${path}.publicKeyPem`, `an Ed25519 key is required, got ${publicKey.asymmetricKeyType ?? 'unknown'}`);
  } else {
    throw new KeyRingError(path, 'give privateKeyPem, or publicKeyPem for a retired key');
  }
  const raw = rawPublicKey(publicKey);
  const keyId = keyIdOf(raw);
  if (entry.keyId !== keyId) throw new KeyRingError(`${path}.keyId`, `the key's id is ${keyId}, not ${entry.keyId}`);
  return { keyId, publicKey: raw.toString('base64'), privateKey };
}
