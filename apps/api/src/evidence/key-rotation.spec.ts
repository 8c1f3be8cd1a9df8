import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuleRepository, createPrismaClient } from '@qadaga/db';
import { testDatabaseUrl, testRedisUrl } from '@qadaga/db/testing';
import { startWorkerProcess } from '@qadaga/demo';
import { generateSigningKey, parsePinnedKeys, verifyBundle, type PublishedKey } from '@qadaga/evidence';
import { loadRulePack } from '@qadaga/rules';
import { detection, insertFlag, startTestApp, type TestApp } from '../testing/test-app.js';

/**
 * A rotation as an operator does it, with real worker processes: a worker signs with K1;
 * it is stopped, a bundle is asked for while no worker runs, and a worker starts with K2
 * first and K1's public key after it. What K1 signed still verifies, on the server and
 * offline with the published keys, and so does the bundle asked for before the rotation.
 */
let t: TestApp;
let auditor: { authorization: string };
let caseId: string;
let worker: ChildProcess | undefined;
const k1 = generateSigningKey();
const k2 = generateSigningKey();
const dir = mkdtempSync(path.join(tmpdir(), 'qadaga-rotation-'));
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

function startWorker(signingKeyFiles: string): ChildProcess {
  return startWorkerProcess({ DATABASE_URL: testDatabaseUrl(), REDIS_URL: testRedisUrl(), SIGNING_KEY_FILES: signingKeyFiles, LOG_LEVEL: 'warn' });
}

async function stopWorker(): Promise<void> {
  if (worker === undefined || worker.exitCode !== null) return;
  const exited = once(worker, 'exit');
  worker.kill('SIGTERM');
  await exited;
  worker = undefined;
}

async function publishedKeys(): Promise<PublishedKey[]> {
  return (await t.app.inject({ method: 'GET', url: '/v1/keys' })).json<{ keys: PublishedKey[] }>().keys;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not happen within a minute`);
}

async function requestBundle(reason: string): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: `/v1/cases/${caseId}/bundles`, headers: auditor, payload: { reason } });
  expect(res.statusCode).toBe(202);
  return res.json<{ id: string }>().id;
}

async function downloaded(id: string): Promise<Buffer> {
  await until(`bundle ${id} being built`, async () => {
    const body = (await t.app.inject({ method: 'GET', url: `/v1/bundles/${id}`, headers: auditor })).json<{ status: string; error: string | null }>();
    if (body.status === 'failed') throw new Error(`bundle ${id} failed: ${body.error}`);
    return body.status === 'done' ? true : undefined;
  });
  return Buffer.from((await t.app.inject({ method: 'GET', url: `/v1/bundles/${id}/download`, headers: auditor })).rawPayload);
}

async function verifiedByServer(zip: Buffer) {
  return (await t.app.inject({ method: 'POST', url: '/v1/bundles/verify', headers: { ...auditor, 'content-type': 'application/zip' }, payload: zip })).json();
}

beforeAll(async () => {
  t = await startTestApp();
  auditor = await t.signIn('auditor');
  const prosecutor = await t.signIn('prosecutor');
  const events = [detection({ eventId: 'rot-1', violationRef: 'V-ROT-1' }), detection({ eventId: 'rot-2', violationRef: 'V-ROT-1', type: 'cancelled', actor: { kind: 'officer', id: 'OFF-ROT', unit: 'U-1' }, payload: { reasonCode: 'other' } })];
  const ingest = await t.app.inject({ method: 'POST', url: '/v1/events/batch', headers: { authorization: `Bearer ${t.keys.source}` }, payload: events });
  expect(ingest.json().summary.accepted).toBe(2);
  const { rows } = await t.pool.query('SELECT source, event_id AS "eventId", content_hash AS "contentHash", chain_hash AS "chainHash" FROM ledger_event ORDER BY id');
  const rule = loadRulePack().find((r) => r.id === 'officer-outlier-rate');
  if (rule === undefined) throw new Error('the pack has no officer-outlier-rate rule');
  await new RuleRepository(createPrismaClient(t.pool)).installBuiltIn(rule.id, rule as unknown as Record<string, unknown>);
  const flagId = await insertFlag(t.pool, { subjectId: 'OFF-ROT', evidence: rows });
  caseId = (await t.app.inject({ method: 'POST', url: '/v1/cases', headers: prosecutor, payload: { title: 'Cancelled detection of OFF-ROT', flagIds: [flagId] } })).json().id;
});

afterAll(async () => {
  await stopWorker();
  await t.close();
});

describe('key rotation with real workers', () => {
  let before: Buffer;
  let askedBeforeRotation: string;

  it('a worker started with K1 records it as the signer and signs with it', async () => {
    worker = startWorker(file('k1.pem', k1.privateKeyPem));
    const keys = await until('K1 being recorded', async () => ((await publishedKeys()).some((k) => k.keyId === k1.keyId) ? publishedKeys() : undefined));
    expect(keys).toEqual([{ keyId: k1.keyId, publicKey: k1.publicKey, algorithm: 'Ed25519', validFrom: null, validUntil: null }]);
    before = await downloaded(await requestBundle('Referral before the key rotation'));
    expect(await verifiedByServer(before)).toMatchObject({ ok: true, failures: [], checked: { signedBy: k1.keyId } });
    await stopWorker();
    askedBeforeRotation = await requestBundle('Asked for while no worker runs, built after the rotation');
  });

  it('after rotating to K2, what K1 signed verifies on the server and offline with the published keys', async () => {
    worker = startWorker(`${file('k2.pem', k2.privateKeyPem)},${file('k1.pub.pem', k1.publicKeyPem)}`);
    const keys = await until('K2 being recorded', async () => ((await publishedKeys()).some((k) => k.keyId === k2.keyId) ? publishedKeys() : undefined));
    const rotatedAt = keys[0]?.validFrom;
    expect(keys).toEqual([
      { keyId: k2.keyId, publicKey: k2.publicKey, algorithm: 'Ed25519', validFrom: expect.any(String), validUntil: null },
      { keyId: k1.keyId, publicKey: k1.publicKey, algorithm: 'Ed25519', validFrom: null, validUntil: rotatedAt },
    ]);

    expect(await verifiedByServer(before)).toMatchObject({ ok: true, failures: [], checked: { signedBy: k1.keyId } });
    const pinned = parsePinnedKeys(JSON.stringify({ keys }), 'keys.json');
    expect(await verifyBundle(before, { keys: pinned })).toMatchObject({ ok: true, failures: [] });

    // Asked for under K1, built by K2: dated no earlier than K2's period, so it verifies.
    const late = await downloaded(askedBeforeRotation);
    expect(await verifiedByServer(late)).toMatchObject({ ok: true, failures: [], checked: { signedBy: k2.keyId } });
    expect(await verifyBundle(late, { keys: pinned })).toMatchObject({ ok: true, failures: [] });
    // Unpinned, the same bundle is not OK: the keys it carries are only its signer's word.
    expect(await verifyBundle(late)).toMatchObject({ ok: false, unpinned: true, failures: [{ file: 'manifest.json' }] });
  });
});
