import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SigningKeyRepository } from '@qadaga/db';
import { KeyRing, generateSigningKey, writeBundle } from '@qadaga/evidence';
import { forgedBundle, memorySink, syntheticBundleInput } from '@qadaga/evidence/testing';
import { startTestApp, type TestApp } from '../testing/test-app.js';

/**
 * The server verifies bundles against its own keys and publishes them. A bundle a thief
 * edited, rehashed and re-signed with a key of their own is refused by name; after a
 * rotation, what the old key signed while it was the signer still verifies.
 */
let t: TestApp;
let auditor: { authorization: string };
const k1 = generateSigningKey();
const k2 = generateSigningKey();
/** A retired key the API is configured with (public half only) that no worker recorded. */
const configuredOnly = generateSigningKey();
const T0 = new Date('2026-05-01T00:00:00.000Z');
const T1 = new Date('2026-07-01T00:00:00.000Z');
const ring1 = KeyRing.of(k1);
const ring2 = new KeyRing({ activeKeyId: k2.keyId, keys: [{ keyId: k2.keyId, privateKeyPem: k2.privateKeyPem }, { keyId: k1.keyId, publicKeyPem: k1.publicKeyPem }] });

async function bundleBy(ring: KeyRing, generatedAt: string): Promise<Buffer> {
  const sink = memorySink();
  // The synthetic checkpoint is signed by K1 at 2026-06-01T00:00Z.
  await writeBundle({ ...syntheticBundleInput(ring1, { events: 20, generatedAt }) }, sink.stream, ring);
  return sink.bytes();
}

async function verify(zip: Buffer): Promise<{ ok: boolean; failures: { file: string; reason: string }[]; checked: { signedBy: string | null } }> {
  const res = await t.app.inject({ method: 'POST', url: '/v1/bundles/verify', headers: { ...auditor, 'content-type': 'application/zip' }, payload: zip });
  expect(res.statusCode).toBe(200);
  return res.json();
}

beforeAll(async () => {
  // The API is given the public halves of the product's keys; it never signs.
  const dir = mkdtempSync(path.join(tmpdir(), 'qadaga-api-keys-'));
  const files = [k1, k2, configuredOnly].map((k, i) => {
    const file = path.join(dir, `key-${i}.pub.pem`);
    writeFileSync(file, k.publicKeyPem);
    return file;
  });
  t = await startTestApp({ SIGNING_KEY_FILES: files.join(',') });
  auditor = await t.signIn('auditor');
  // A worker booted with K1 before any period was recorded.
  await new SigningKeyRepository(t.pool).recordRing({ activeKeyId: k1.keyId, keys: ring1.publicKeys() }, T0);
});

afterAll(async () => t.close());

describe('the server verifies bundles against its own keys', () => {
  it('a bundle edited and re-signed with another key fails, naming the manifest and the unknown key', async () => {
    const genuine = await bundleBy(ring1, '2026-06-02T10:00:00.000Z');
    expect(await verify(genuine)).toMatchObject({ ok: true, failures: [], checked: { signedBy: k1.keyId }, keysFrom: 'configured' });
    const thief = generateSigningKey();
    const report = await verify(await forgedBundle(genuine, thief));
    expect(report.ok).toBe(false);
    expect(report.failures).toEqual([{ file: 'manifest.json', reason: `signed by an unknown key ${thief.keyId}: not among the 3 pinned keys` }]);
  });

  it('publishes its keys to anyone, without sign-in: id, raw public key, algorithm and period', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/keys' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      keys: [
        { keyId: k1.keyId, publicKey: k1.publicKey, algorithm: 'Ed25519', validFrom: null, validUntil: null },
        { keyId: k2.keyId, publicKey: k2.publicKey, algorithm: 'Ed25519', validFrom: null, validUntil: null },
        { keyId: configuredOnly.keyId, publicKey: configuredOnly.publicKey, algorithm: 'Ed25519', validFrom: null, validUntil: null },
      ],
    });
  });
});

describe('rotation from K1 to K2', () => {
  beforeAll(async () => {
    await new SigningKeyRepository(t.pool).recordRing({ activeKeyId: k2.keyId, keys: ring2.publicKeys() }, T1);
  });

  it('publishes when K2 became the signer and when K1 was retired', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/keys' });
    expect(res.json().keys.slice(0, 2)).toEqual([
      { keyId: k2.keyId, publicKey: k2.publicKey, algorithm: 'Ed25519', validFrom: T1.toISOString(), validUntil: null },
      { keyId: k1.keyId, publicKey: k1.publicKey, algorithm: 'Ed25519', validFrom: null, validUntil: T1.toISOString() },
    ]);
  });

  it('a bundle K1 signed before the rotation still verifies, and so does one K2 signs after it', async () => {
    expect(await verify(await bundleBy(ring1, '2026-06-02T10:00:00.000Z'))).toMatchObject({ ok: true, failures: [] });
    expect(await verify(await bundleBy(ring2, '2026-07-02T10:00:00.000Z'))).toMatchObject({ ok: true, failures: [], checked: { signedBy: k2.keyId } });
  });

  it('a bundle K1 signs dated after its retirement is refused with that reason', async () => {
    const report = await verify(await bundleBy(ring1, '2026-07-02T10:00:00.000Z'));
    expect(report.failures).toEqual([{ file: 'manifest.json', reason: `dated 2026-07-02T10:00:00.000Z, after key ${k1.keyId} was retired at ${T1.toISOString()}` }]);
  });

  it('a bundle K2 signs dated before it became the signer is refused', async () => {
    const report = await verify(await bundleBy(ring2, '2026-06-02T10:00:00.000Z'));
    expect(report.ok).toBe(false);
    expect(report.failures).toContainEqual({ file: 'manifest.json', reason: `dated 2026-06-02T10:00:00.000Z, before key ${k2.keyId} became the product's signer at ${T1.toISOString()}` });
  });
});

describe('a key written into the database by someone with SQL rights', () => {
  const thief = generateSigningKey();
  const T2 = new Date('2026-08-01T00:00:00.000Z');
  beforeAll(async () => {
    // As a database superuser: record the thief's key as the product's newest signer.
    await new SigningKeyRepository(t.pool).recordRing({ activeKeyId: thief.keyId, keys: KeyRing.of(thief).publicKeys() }, T2);
  });

  it('is not trusted: the server trusts only the keys it was given, and does not publish it', async () => {
    // Dated inside the period the forged row gives the thief's key.
    const genuine = await bundleBy(ring1, '2026-08-02T10:00:00.000Z');
    const report = await verify(await forgedBundle(genuine, thief));
    expect(report.ok).toBe(false);
    expect(report.failures).toContainEqual({ file: 'manifest.json', reason: `signed by an unknown key ${thief.keyId}: not among the 3 pinned keys` });
    const published = (await t.app.inject({ method: 'GET', url: '/v1/keys' })).json().keys.map((k: { keyId: string }) => k.keyId);
    expect(published).not.toContain(thief.keyId);
    expect(published).toEqual(expect.arrayContaining([k1.keyId, k2.keyId, configuredOnly.keyId]));
  });
});
