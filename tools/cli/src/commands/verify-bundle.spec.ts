import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { KeyRing, generateSigningKey, writeBundle, type SigningKeyPair } from '@qadaga/evidence';
import { forgedBundle, memorySink, readZipEntries, syntheticBundleInput, writeZipEntries } from '@qadaga/evidence/testing';
import { main } from '../main.js';

/**
 * `qadaga verify-bundle` with the product's published keys: a bundle a thief edited,
 * rehashed and re-signed fails by name; with no keys given it never answers OK; after a
 * rotation, what the old key signed while it was the signer still verifies.
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'qadaga-cli-verify-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function qadaga(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  const spyErr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err.push(String(chunk));
    return true;
  });
  process.exitCode = undefined;
  try {
    return { code: await main(['node', 'qadaga', ...args]), stdout: out.join(''), stderr: err.join('') };
  } finally {
    spy.mockRestore();
    spyErr.mockRestore();
    process.exitCode = undefined;
  }
}

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { ok: boolean; unpinned: boolean; failures: { file: string; reason: string }[] };

const k1 = generateSigningKey();
const k2 = generateSigningKey();
const T1 = '2026-07-01T00:00:00.000Z';
const ring1 = KeyRing.of(k1);
const ring2 = new KeyRing({ activeKeyId: k2.keyId, keys: [{ keyId: k2.keyId, privateKeyPem: k2.privateKeyPem }, { keyId: k1.keyId, publicKeyPem: k1.publicKeyPem }] });

function file(name: string, data: string | Buffer): string {
  const p = path.join(dir, name);
  writeFileSync(p, data);
  return p;
}

async function bundleBy(ring: KeyRing, generatedAt: string): Promise<Buffer> {
  const sink = memorySink();
  // Its checkpoint is signed by K1 at 2026-06-01T00:00Z.
  await writeBundle(syntheticBundleInput(ring1, { events: 20, generatedAt }), sink.stream, ring);
  return sink.bytes();
}

/** What GET /v1/keys answers after the rotation from K1 to K2 at T1. */
const published = {
  keys: [
    { keyId: k2.keyId, publicKey: k2.publicKey, algorithm: 'Ed25519', validFrom: T1, validUntil: null },
    { keyId: k1.keyId, publicKey: k1.publicKey, algorithm: 'Ed25519', validFrom: null, validUntil: T1 },
  ],
};
let keysJson: string;
let genuine: string;
let forgery: string;
let thief: SigningKeyPair;

beforeAll(async () => {
  keysJson = file('keys.json', JSON.stringify(published));
  const bytes = await bundleBy(ring1, '2026-06-02T10:00:00.000Z');
  genuine = file('genuine.zip', bytes);
  thief = generateSigningKey();
  forgery = file('forged.zip', await forgedBundle(bytes, thief));
});

describe('qadaga verify-bundle with the published keys', () => {
  it('fails a bundle edited and re-signed with another key, naming the manifest and the unknown key (exit 1)', async () => {
    const result = await qadaga('verify-bundle', forgery, '--keys', keysJson, '--json');
    expect(result.code).toBe(1);
    expect(lastJson(result.stdout)).toMatchObject({ ok: false, unpinned: false, failures: [{ file: 'manifest.json', reason: `signed by an unknown key ${thief.keyId}: not among the 2 pinned keys` }] });
    const human = await qadaga('verify-bundle', forgery, '--keys', keysJson);
    expect(human.stdout).toContain(`manifest.json: signed by an unknown key ${thief.keyId}`);
  });

  it('verifies the genuine bundle with the JSON of GET /v1/keys, a PEM public key, or a list of ids (exit 0)', async () => {
    expect((await qadaga('verify-bundle', genuine, '--keys', keysJson)).code).toBe(0);
    expect((await qadaga('verify-bundle', genuine, '--keys', file('k1.pub.pem', k1.publicKeyPem))).code).toBe(0);
    expect((await qadaga('verify-bundle', genuine, '--keys', file('ids.txt', `# the office's keys\n${k2.keyId}\n${k1.keyId}\n`))).code).toBe(0);
    // --trust stays: key ids (or base64 public keys) on the command line.
    expect((await qadaga('verify-bundle', genuine, '--trust', k1.keyId)).code).toBe(0);
    const pem = await qadaga('verify-bundle', forgery, '--keys', file('k1-again.pub.pem', k1.publicKeyPem), '--json');
    expect(pem.code).toBe(1);
    expect(lastJson(pem.stdout).failures).toContainEqual({ file: 'manifest.json', reason: `signed by an unknown key ${thief.keyId}: not among the 1 pinned key` });
  });

  it('without pinned keys never answers OK: it names the signer as unknown and exits 2', async () => {
    const result = await qadaga('verify-bundle', forgery, '--json');
    expect(result.code).toBe(2);
    expect(lastJson(result.stdout)).toEqual(expect.objectContaining({ ok: false, unpinned: true, failures: [{ file: 'manifest.json', reason: `signed by an unknown key ${thief.keyId}: pass --keys with the product's published keys` }] }));
    const human = await qadaga('verify-bundle', genuine);
    expect(human.code).toBe(2);
    expect(human.stdout).toMatch(/^UNVERIFIED SIGNER: /u);
    expect(human.stdout).toContain(`signed by an unknown key ${k1.keyId}: pass --keys with the product's published keys`);
  });

  it('an unpinned bundle that is also tampered with exits 1', async () => {
    const entries = await readZipEntries(await bundleBy(ring1, '2026-06-02T10:00:00.000Z'));
    const tampered = file('tampered.zip', await writeZipEntries(entries.map((e) => (e.name === 'case.json' ? { name: e.name, data: Buffer.from(e.data.toString('utf8').replace('O3', 'O4')) } : e))));
    expect((await qadaga('verify-bundle', tampered, '--json')).code).toBe(1);
  });

  it('names the keys file at fault', async () => {
    const bad = file('bad-keys.json', JSON.stringify({ keys: [{ ...published.keys[0], keyId: k1.keyId }] }));
    const result = await qadaga('verify-bundle', genuine, '--keys', bad);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${bad}: keys[0].keyId: ${k1.keyId} is not the fingerprint of the public key given (${k2.keyId})`);
    const missing = await qadaga('verify-bundle', genuine, '--keys', path.join(dir, 'nowhere.json'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`--keys ${path.join(dir, 'nowhere.json')}: cannot be read`);
  });
});

describe('qadaga verify-bundle across a rotation', () => {
  it('a bundle K1 signed before the rotation verifies with the keys published after it; K2 after it too', async () => {
    expect((await qadaga('verify-bundle', genuine, '--keys', keysJson)).code).toBe(0);
    expect((await qadaga('verify-bundle', file('k2.zip', await bundleBy(ring2, '2026-07-02T10:00:00.000Z')), '--keys', keysJson)).code).toBe(0);
  });

  it('refuses a bundle K1 signs dated after its retirement, and one K2 signs dated before it began', async () => {
    const late = await qadaga('verify-bundle', file('late.zip', await bundleBy(ring1, '2026-07-02T10:00:00.000Z')), '--keys', keysJson, '--json');
    expect(late.code).toBe(1);
    expect(lastJson(late.stdout).failures).toEqual([{ file: 'manifest.json', reason: `dated 2026-07-02T10:00:00.000Z, after key ${k1.keyId} was retired at ${T1}` }]);
    const early = await qadaga('verify-bundle', file('early.zip', await bundleBy(ring2, '2026-06-02T10:00:00.000Z')), '--keys', keysJson, '--json');
    expect(early.code).toBe(1);
    expect(lastJson(early.stdout).failures).toContainEqual({ file: 'manifest.json', reason: `dated 2026-06-02T10:00:00.000Z, before key ${k2.keyId} became the product's signer at ${T1}` });
  });
});
