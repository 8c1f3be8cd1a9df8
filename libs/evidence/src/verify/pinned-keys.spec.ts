import { beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '@qadaga/domain/hashing';
import { manifestSigningText, type Manifest } from '../bundle/manifest.js';
import { writeBundle } from '../bundle/write-bundle.js';
import type { BundleInput } from '../bundle/bundle-input.js';
import { signCheckpoint } from '../signing/checkpoint.js';
import { KeyRing, generateSigningKey, type SigningKeyPair } from '../signing/key-ring.js';
import { memorySink, readZipEntries, syntheticBundleInput, writeZipEntries, type ZipEntryBytes } from '../testing/index.js';
import * as evidence from '../index.js';
import { verifyBundle } from './verify-bundle.js';

/**
 * A thief of a bundle edits what the chain proof does not cover (the case, the CSV copy of
 * the events), rehashes every file into the manifest and signs it with a key of their own.
 * Every hash then holds; only the reader's own copy of the product's keys tells them apart.
 */
const product = generateSigningKey();
const ring = KeyRing.of(product);
let genuine: Buffer;

async function write(input: BundleInput, keyRing: KeyRing): Promise<Buffer> {
  const sink = memorySink();
  await writeBundle(input, sink.stream, keyRing);
  return sink.bytes();
}

/** The product's keys as GET /v1/keys answers them. */
function published(...keys: { pair: SigningKeyPair; validFrom?: string | null; validUntil?: string | null }[]): evidence.PublishedKey[] {
  return keys.map((k) => ({ keyId: k.pair.keyId, publicKey: k.pair.publicKey, algorithm: 'Ed25519', validFrom: k.validFrom ?? null, validUntil: k.validUntil ?? null }));
}

function pins(keys: evidence.PublishedKey[]): evidence.PinnedKey[] {
  return evidence.parsePinnedKeys(JSON.stringify({ keys }), 'keys.json');
}

/** Edits case.json and events.csv, rehashes the manifest and signs it with the forger's key. */
async function forge(bundle: Buffer, forger: SigningKeyPair, options: { resignCheckpoints?: boolean } = {}): Promise<Buffer> {
  const entries = await readZipEntries(bundle);
  const edit = (name: string, from: string, to: string) => (e: ZipEntryBytes) => {
    if (e.name !== name) return e;
    const text = e.data.toString('utf8');
    if (!text.includes(from)) throw new Error(`${name} holds no "${from}" to edit`);
    return { name, data: Buffer.from(text.replace(from, to)) };
  };
  let edited = entries.map(edit('case.json', 'Cancellations by O3', 'No finding about O3')).map(edit('events.csv', 'cam-0,cam-0-1,', 'cam-0,cam-0-9,'));
  const manifest = JSON.parse((entries.find((e) => e.name === 'manifest.json') as ZipEntryBytes).data.toString('utf8')) as Manifest;
  const forgerRing = KeyRing.of(forger);
  if (options.resignCheckpoints === true) {
    // The thorough thief re-signs the checkpoints too and lists their own key as the product's.
    const proofEntry = edited.find((e) => e.name === 'chain-proof.json') as ZipEntryBytes;
    const proof = JSON.parse(proofEntry.data.toString('utf8')) as { checkpoints: Parameters<typeof signCheckpoint>[0][] };
    proof.checkpoints = proof.checkpoints.map((cp) => ({ ...cp, ...signCheckpoint(cp, forgerRing) }));
    edited = edited.map((e) => (e.name === 'chain-proof.json' ? { name: e.name, data: Buffer.from(JSON.stringify(proof)) } : e));
    manifest.productKeys = [{ keyId: forger.keyId, publicKey: forger.publicKey }];
  }
  manifest.files = manifest.files.map((f) => {
    const data = (edited.find((e) => e.name === f.name) as ZipEntryBytes).data;
    return { name: f.name, size: data.length, sha256: sha256Hex(data.toString('utf8')) };
  });
  manifest.signature = { algorithm: 'Ed25519', ...forgerRing.sign(manifestSigningText(manifest)) };
  return writeZipEntries(edited.map((e) => (e.name === 'manifest.json' ? { name: e.name, data: Buffer.from(JSON.stringify(manifest)) } : e)));
}

beforeAll(async () => {
  genuine = await write(syntheticBundleInput(ring, { events: 40, chains: 2 }), ring);
});

describe('a bundle edited and re-signed with another key', () => {
  it('is not ok without pinned keys: the signer is reported unknown', async () => {
    const forger = generateSigningKey();
    const result = await verifyBundle(await forge(genuine, forger));
    expect(result.ok).toBe(false);
    expect(result.failures).toEqual([{ file: 'manifest.json', reason: `signed by an unknown key ${forger.keyId}: pass the product's published keys (GET /v1/keys) to check who signed it` }]);
    expect(result.unpinned).toBe(true);
  });

  it('fails against the published keys, naming the manifest and the unknown key', async () => {
    const forger = generateSigningKey();
    const result = await verifyBundle(await forge(genuine, forger), { keys: pins(published({ pair: product })) });
    expect(result).toMatchObject({ ok: false, unpinned: false });
    expect(result.failures).toEqual([{ file: 'manifest.json', reason: `signed by an unknown key ${forger.keyId}: not among the 1 pinned key` }]);
  });

  it('fails on the checkpoints too when the thief re-signs them and lists their own key as the product key', async () => {
    const forger = generateSigningKey();
    const result = await verifyBundle(await forge(genuine, forger, { resignCheckpoints: true }), { keys: pins(published({ pair: product })) });
    expect(result.failures).toEqual([
      { file: 'manifest.json', reason: `signed by an unknown key ${forger.keyId}: not among the 1 pinned key` },
      { file: 'chain-proof.json', reason: `checkpoint 1: signed by an unknown key ${forger.keyId}: not among the 1 pinned key` },
    ]);
  });

  it('the genuine bundle verifies against the published keys, and unpinned says only that the signer is unknown', async () => {
    expect(await verifyBundle(genuine, { keys: pins(published({ pair: product })) })).toMatchObject({ ok: true, failures: [], unpinned: false });
    const unpinned = await verifyBundle(genuine, { unpinnedAdvice: 'pass --keys with the product\'s published keys' });
    expect(unpinned).toMatchObject({ ok: false, unpinned: true, checked: { signedBy: product.keyId } });
    expect(unpinned.failures).toEqual([{ file: 'manifest.json', reason: `signed by an unknown key ${product.keyId}: pass --keys with the product's published keys` }]);
  });

  it('a key pinned by id alone (the old --trust) still refuses another signer', async () => {
    const forger = generateSigningKey();
    const result = await verifyBundle(await forge(genuine, forger), { trustedKeys: [product.keyId] });
    expect(result.failures).toEqual([{ file: 'manifest.json', reason: `signed by an unknown key ${forger.keyId}: not among the 1 pinned key` }]);
    expect((await verifyBundle(genuine, { trustedKeys: [product.publicKey] })).ok).toBe(true);
  });

  it('a pinned id whose public key differs is refused', async () => {
    const other = generateSigningKey();
    const result = await verifyBundle(genuine, { keys: [{ keyId: product.keyId, publicKey: other.publicKey, validFrom: null, validUntil: null }] });
    expect(result.failures).toContainEqual({ file: 'manifest.json', reason: `signed by an unknown key ${product.keyId}: its public key is not the pinned key with that id` });
  });
});

describe('rotation: each key verifies what it signed while it was the signer', () => {
  // K1 signed from T0; K2 replaced it at T1. The synthetic checkpoint is at 2026-06-01T00:00Z.
  const k1 = generateSigningKey();
  const k2 = generateSigningKey();
  const T0 = '2026-05-01T00:00:00.000Z';
  const T1 = '2026-07-01T00:00:00.000Z';
  const before = KeyRing.of(k1);
  const after = new KeyRing({ activeKeyId: k2.keyId, keys: [{ keyId: k2.keyId, privateKeyPem: k2.privateKeyPem }, { keyId: k1.keyId, publicKeyPem: k1.publicKeyPem }] });
  const keys = () => pins(published({ pair: k2, validFrom: T1 }, { pair: k1, validFrom: T0, validUntil: T1 }));

  it('a bundle K1 signed before the rotation verifies with the keys published after it', async () => {
    const old = await write(syntheticBundleInput(before, { events: 30, generatedAt: '2026-06-02T10:00:00.000Z' }), before);
    expect(await verifyBundle(old, { keys: keys() })).toMatchObject({ ok: true, failures: [], checked: { signedBy: k1.keyId } });
  });

  it('a bundle K2 signs after the rotation over a checkpoint K1 signed before it verifies', async () => {
    const input = syntheticBundleInput(before, { events: 30, generatedAt: '2026-07-02T10:00:00.000Z' });
    expect(await verifyBundle(await write(input, after), { keys: keys() })).toMatchObject({ ok: true, failures: [], checked: { signedBy: k2.keyId } });
  });

  it('a bundle K1 signs dated after its retirement is refused: a key stolen later cannot sign new evidence', async () => {
    const late = await write(syntheticBundleInput(before, { events: 30, generatedAt: '2026-07-02T10:00:00.000Z' }), before);
    const result = await verifyBundle(late, { keys: keys() });
    expect(result.failures).toEqual([{ file: 'manifest.json', reason: `dated 2026-07-02T10:00:00.000Z, after key ${k1.keyId} was retired at ${T1}` }]);
  });

  it('a bundle K2 signs dated before K2 became the signer is refused, checkpoints included', async () => {
    const backdated = await write(syntheticBundleInput(after, { events: 30, generatedAt: '2026-06-02T10:00:00.000Z' }), after);
    const result = await verifyBundle(backdated, { keys: keys() });
    expect(result.failures).toEqual([
      { file: 'manifest.json', reason: `dated 2026-06-02T10:00:00.000Z, before key ${k2.keyId} became the product's signer at ${T1}` },
      { file: 'chain-proof.json', reason: `checkpoint 1: dated 2026-06-01T00:00:00.000Z, before key ${k2.keyId} became the product's signer at ${T1}` },
    ]);
  });
});

describe('reading pinned keys', () => {
  const a = generateSigningKey();
  const b = generateSigningKey();

  it('reads the JSON GET /v1/keys answers, or its list alone', () => {
    const keys = published({ pair: a, validFrom: '2026-01-01T00:00:00Z' }, { pair: b, validUntil: '2026-01-01T00:00:00.000Z' });
    const expected = [
      { keyId: a.keyId, publicKey: a.publicKey, validFrom: '2026-01-01T00:00:00.000Z', validUntil: null },
      { keyId: b.keyId, publicKey: b.publicKey, validFrom: null, validUntil: '2026-01-01T00:00:00.000Z' },
    ];
    expect(evidence.parsePinnedKeys(JSON.stringify({ keys }), 'k.json')).toEqual(expected);
    expect(evidence.parsePinnedKeys(JSON.stringify(keys), 'k.json')).toEqual(expected);
  });

  it('reads PEM public keys and lists of key ids or public keys', () => {
    expect(evidence.parsePinnedKeys(`${a.publicKeyPem}\n${b.publicKeyPem}`, 'k.pem')).toEqual([
      { keyId: a.keyId, publicKey: a.publicKey, validFrom: null, validUntil: null },
      { keyId: b.keyId, publicKey: b.publicKey, validFrom: null, validUntil: null },
    ]);
    expect(evidence.parsePinnedKeys(`# the office's keys\n${a.keyId}\n${b.publicKey}, \n`, 'ids.txt')).toEqual([
      { keyId: a.keyId, publicKey: null, validFrom: null, validUntil: null },
      { keyId: b.keyId, publicKey: b.publicKey, validFrom: null, validUntil: null },
    ]);
  });

  it('names the file and field at fault', () => {
    const [key] = published({ pair: a });
    expect(() => evidence.parsePinnedKeys('', 'k.json')).toThrow('k.json: holds no keys');
    expect(() => evidence.parsePinnedKeys('{"keys": 3}', 'k.json')).toThrow('k.json: keys: a list of keys is required, as GET /v1/keys answers');
    expect(() => evidence.parsePinnedKeys(JSON.stringify({ keys: [{ ...key, keyId: b.keyId }] }), 'k.json')).toThrow(`k.json: keys[0].keyId: ${b.keyId} is not the fingerprint of the public key given (${a.keyId})`);
    expect(() => evidence.parsePinnedKeys(JSON.stringify({ keys: [{ ...key, validFrom: 'soon' }] }), 'k.json')).toThrow('k.json: keys[0].validFrom: an ISO 8601 instant or null is required');
    expect(() => evidence.parsePinnedKeys(JSON.stringify({ keys: [{ ...key, algorithm: 'RSA' }] }), 'k.json')).toThrow('k.json: keys[0].algorithm: only Ed25519 is known, got RSA');
    expect(() => evidence.parsePinnedKeys(a.privateKeyPem, 'k.pem')).toThrow('k.pem: a PUBLIC KEY block is required (never hand out the private key)');
    expect(() => evidence.parsePinnedKeys('3ee02bec5a7a8453\nnot-a-key', 'ids.txt')).toThrow('ids.txt: [1]: "not-a-key" is neither a key id (16 hex digits) nor a base64 Ed25519 public key');
  });
});
