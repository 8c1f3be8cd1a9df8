import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeyRing, KeyRingError, generateSigningKey, keyIdOf, publicKeyOfPem, verifySignature } from './key-ring.js';
import { signCheckpoint, verifyCheckpoint } from './checkpoint.js';

const HEAD = 'a'.repeat(64);

describe('signing keys', () => {
  it('names a key by the first 16 hex digits of SHA-256 over its raw public key', () => {
    const pair = generateSigningKey();
    const raw = Buffer.from(pair.publicKey, 'base64');
    expect(raw).toHaveLength(32);
    expect(pair.keyId).toBe(createHash('sha256').update(raw).digest('hex').slice(0, 16));
    expect(keyIdOf(pair.publicKey)).toBe(pair.keyId);
    expect(pair.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/u);
    expect(pair.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/u);
  });

  it('signs with the active key; a signature on other bytes or under another key id fails', () => {
    const ring = KeyRing.of(generateSigningKey());
    const sig = ring.sign('hello');
    expect(verifySignature('hello', sig)).toEqual({ ok: true });
    expect(verifySignature('hellO', sig)).toMatchObject({ ok: false, reason: expect.stringMatching(/does not match/u) });
    const other = generateSigningKey();
    expect(verifySignature('hello', { ...sig, keyId: other.keyId })).toMatchObject({ ok: false, reason: expect.stringMatching(/not the fingerprint/u) });
  });

  it('refuses a bad ring, naming the field', () => {
    const a = generateSigningKey();
    const b = generateSigningKey();
    expect(() => new KeyRing({ activeKeyId: a.keyId, keys: [] })).toThrow(new KeyRingError('keys', 'at least one key is required'));
    expect(() => new KeyRing({ activeKeyId: a.keyId, keys: [{ keyId: b.keyId, privateKeyPem: a.privateKeyPem }] })).toThrow(/^keys\[0\]\.keyId: the key's id is/u);
    expect(() => new KeyRing({ activeKeyId: a.keyId, keys: [{ keyId: a.keyId, privateKeyPem: 'nonsense' }] })).toThrow('keys[0].privateKeyPem: not a PEM private key');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(() => new KeyRing({ activeKeyId: a.keyId, keys: [{ keyId: a.keyId, privateKeyPem: rsa }] })).toThrow('keys[0].privateKeyPem: an Ed25519 key is required, got rsa');
    expect(() => new KeyRing({ activeKeyId: b.keyId, keys: [{ keyId: a.keyId, privateKeyPem: a.privateKeyPem }] })).toThrow(`activeKeyId: no key with id ${b.keyId} in the ring`);
    expect(() => new KeyRing({ activeKeyId: a.keyId, keys: [{ keyId: a.keyId, publicKeyPem: a.publicKeyPem }] })).toThrow(/activeKeyId: key .* has no private key and cannot sign/u);
  });

  it('keeps retired keys for verification only, the active one first', () => {
    const old = generateSigningKey();
    const current = generateSigningKey();
    const ring = new KeyRing({ activeKeyId: current.keyId, keys: [{ keyId: old.keyId, publicKeyPem: old.publicKeyPem }, { keyId: current.keyId, privateKeyPem: current.privateKeyPem }] });
    expect(ring.activeKeyId).toBe(current.keyId);
    expect(ring.publicKeys()).toEqual([
      { keyId: current.keyId, publicKey: current.publicKey },
      { keyId: old.keyId, publicKey: old.publicKey },
    ]);
    expect(ring.sign('x').keyId).toBe(current.keyId);
  });

  it('reads a ring from PEM files: the first signs, a retired key may be its public half only', () => {
    const old = generateSigningKey();
    const current = generateSigningKey();
    const ring = KeyRing.fromPem([current.privateKeyPem, old.publicKeyPem], ['current.pem', 'old.pub.pem']);
    expect(ring.activeKeyId).toBe(current.keyId);
    expect(ring.publicKeys()).toEqual([
      { keyId: current.keyId, publicKey: current.publicKey },
      { keyId: old.keyId, publicKey: old.publicKey },
    ]);
    expect(publicKeyOfPem(old.privateKeyPem)).toEqual({ keyId: old.keyId, publicKey: old.publicKey });
    expect(() => KeyRing.fromPem([old.publicKeyPem, current.privateKeyPem])).toThrow(`activeKeyId: key ${old.keyId} has no private key and cannot sign`);
    expect(() => KeyRing.fromPem([current.privateKeyPem, 'garbage'], ['current.pem', 'old.pem'])).toThrow('old.pem: not a PEM key');
  });
});

describe('checkpoints', () => {
  const pair = generateSigningKey();
  const ring = KeyRing.of(pair);
  const body = {
    at: '2026-03-01T12:00:00Z',
    ledgerHeads: [
      { chainId: 'treasury/0', seq: 7, hash: HEAD },
      { chainId: 'cam-a/0', seq: '12', hash: 'b'.repeat(64) },
    ],
    accessLogHead: { lanes: [{ lane: 0, seq: '3', hash: 'c'.repeat(64) }] },
  };

  it('signs the heads in stored form (millisecond time, decimal positions, chain order) and verifies', () => {
    const cp = signCheckpoint(body, ring);
    expect(cp).toMatchObject({ at: '2026-03-01T12:00:00.000Z', ledgerHeads: [{ chainId: 'cam-a/0', seq: '12' }, { chainId: 'treasury/0', seq: '7' }], keyId: pair.keyId, publicKey: pair.publicKey });
    expect(verifyCheckpoint(cp)).toEqual({ ok: true });
    // As read back from jsonb, with its keys in another order.
    const reread = JSON.parse(JSON.stringify({ signature: cp.signature, ledgerHeads: cp.ledgerHeads.map((h) => ({ hash: h.hash, seq: h.seq, chainId: h.chainId })), keyId: cp.keyId, publicKey: cp.publicKey, accessLogHead: cp.accessLogHead, at: cp.at }));
    expect(verifyCheckpoint(reread)).toEqual({ ok: true });
  });

  it('fails when a head is moved', () => {
    const cp = signCheckpoint(body, ring);
    const moved = { ...cp, ledgerHeads: cp.ledgerHeads.map((h, i) => (i === 0 ? { ...h, seq: '11' } : h)) };
    expect(verifyCheckpoint(moved)).toMatchObject({ ok: false });
  });

  it('reports a signer outside the trusted keys by its key id', () => {
    const stranger = generateSigningKey();
    const cp = signCheckpoint(body, KeyRing.of(stranger));
    expect(verifyCheckpoint(cp)).toEqual({ ok: true });
    expect(verifyCheckpoint(cp, { trustedKeys: [pair.keyId] })).toEqual({ ok: false, reason: `signed by key id ${stranger.keyId}, which is not among the trusted keys` });
  });

  it('refuses a body it cannot sign faithfully, naming the field', () => {
    expect(() => signCheckpoint({ ...body, at: 'yesterday' }, ring)).toThrow('at: not an ISO 8601 instant (yesterday)');
    expect(() => signCheckpoint({ ...body, ledgerHeads: [{ chainId: 'x', seq: -1, hash: HEAD }] }, ring)).toThrow(/^ledgerHeads\[0\]\.seq: a non-negative integer is required/u);
    expect(() => signCheckpoint({ ...body, ledgerHeads: [{ chainId: 'x', seq: 1, hash: 'XYZ' }] }, ring)).toThrow('ledgerHeads[0].hash: 64 lowercase hex digits are required');
  });
});
