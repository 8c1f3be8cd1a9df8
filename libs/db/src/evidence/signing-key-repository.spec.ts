import { createHash, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createPool } from '../pool.js';
import { resetLedger, testDatabaseUrl } from '../testing/test-database.js';
import { RetiredSigningKeyError, SigningKeyRepository } from './signing-key-repository.js';

const pool = createPool({ url: testDatabaseUrl(), size: 4 });
const repo = new SigningKeyRepository(pool);
beforeEach(async () => resetLedger(pool));
afterAll(async () => pool.end());

/** A key as a ring lists it: id = first 16 hex digits of SHA-256 over the raw public key. */
function key(): { keyId: string; publicKey: string } {
  const raw = Buffer.from(generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  return { keyId: createHash('sha256').update(raw).digest('hex').slice(0, 16), publicKey: raw.toString('base64') };
}

const T0 = new Date('2026-05-01T00:00:00.000Z');
const T1 = new Date('2026-07-01T00:00:00.000Z');
const T2 = new Date('2026-09-01T00:00:00.000Z');

describe('signing key periods', () => {
  it('the first ring recorded has no known start: its keys may have signed before periods were kept', async () => {
    const k1 = key();
    const old = key();
    const recorded = await repo.recordRing({ activeKeyId: k1.keyId, keys: [k1, old] }, T0);
    expect(recorded).toEqual([
      { ...k1, algorithm: 'Ed25519', validFrom: null, validUntil: null, recordedAt: expect.any(String) },
      { ...old, algorithm: 'Ed25519', validFrom: null, validUntil: T0.toISOString(), recordedAt: expect.any(String) },
    ]);
    // Booting again with the same ring changes nothing.
    expect(await repo.recordRing({ activeKeyId: k1.keyId, keys: [k1, old] }, T1)).toEqual(recorded);
  });

  it('a new active key starts when it is first recorded and retires the one before, which keeps its period', async () => {
    const k1 = key();
    const k2 = key();
    await repo.recordRing({ activeKeyId: k1.keyId, keys: [k1] }, T0);
    const rotated = await repo.recordRing({ activeKeyId: k2.keyId, keys: [k2, k1] }, T1);
    expect(rotated.map((k) => [k.keyId, k.validFrom, k.validUntil])).toEqual([
      [k2.keyId, T1.toISOString(), null],
      [k1.keyId, null, T1.toISOString()],
    ]);
    const k3 = key();
    const again = await repo.recordRing({ activeKeyId: k3.keyId, keys: [k3, k2] }, T2);
    expect(again.map((k) => [k.keyId, k.validFrom, k.validUntil])).toEqual([
      [k3.keyId, T2.toISOString(), null],
      [k2.keyId, T1.toISOString(), T2.toISOString()],
      [k1.keyId, null, T1.toISOString()],
    ]);
  });

  it('refuses to make a retired key the signer again, naming it and when it was retired', async () => {
    const k1 = key();
    const k2 = key();
    await repo.recordRing({ activeKeyId: k1.keyId, keys: [k1] }, T0);
    await repo.recordRing({ activeKeyId: k2.keyId, keys: [k2, k1] }, T1);
    const refused = repo.recordRing({ activeKeyId: k1.keyId, keys: [k1, k2] }, T2);
    await expect(refused).rejects.toThrow(RetiredSigningKeyError);
    await expect(refused).rejects.toThrow(`the first key, ${k1.keyId}, was retired at ${T1.toISOString()}`);
  });

  it('never ends a period before it began when a booting host clock is behind', async () => {
    const k1 = key();
    const k2 = key();
    const k3 = key();
    await repo.recordRing({ activeKeyId: k1.keyId, keys: [k1] }, T0);
    await repo.recordRing({ activeKeyId: k2.keyId, keys: [k2] }, T1);
    const late = await repo.recordRing({ activeKeyId: k3.keyId, keys: [k3] }, T0);
    const k2Row = late.find((k) => k.keyId === k2.keyId);
    expect(Date.parse(k2Row?.validUntil ?? '')).toBeGreaterThan(Date.parse(k2Row?.validFrom ?? ''));
  });

  it('processes booting together with the same new key record it once', async () => {
    const k1 = key();
    const k2 = key();
    await repo.recordRing({ activeKeyId: k1.keyId, keys: [k1] }, T0);
    await Promise.all([repo.recordRing({ activeKeyId: k2.keyId, keys: [k2, k1] }, T1), repo.recordRing({ activeKeyId: k2.keyId, keys: [k2, k1] }, T1)]);
    expect((await repo.list()).map((k) => [k.keyId, k.validFrom, k.validUntil])).toEqual([
      [k2.keyId, T1.toISOString(), null],
      [k1.keyId, null, T1.toISOString()],
    ]);
  });

  it('is append-only: a row is not deleted, and a period once written does not move', async () => {
    const k1 = key();
    const k2 = key();
    await repo.recordRing({ activeKeyId: k1.keyId, keys: [k1] }, T0);
    await repo.recordRing({ activeKeyId: k2.keyId, keys: [k2, k1] }, T1);
    await expect(pool.query('DELETE FROM signing_key WHERE key_id = $1', [k1.keyId])).rejects.toThrow(/signing_key is append-only/u);
    await expect(pool.query('UPDATE signing_key SET retired_at = $2 WHERE key_id = $1', [k1.keyId, T2])).rejects.toThrow(/signing_key is append-only/u);
    await expect(pool.query('UPDATE signing_key SET active_from = $2 WHERE key_id = $1', [k2.keyId, T0])).rejects.toThrow(/signing_key is append-only/u);
    await expect(pool.query('UPDATE signing_key SET public_key = $2 WHERE key_id = $1', [k2.keyId, k1.publicKey])).rejects.toThrow(/signing_key is append-only/u);
  });
});
