import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuleRepository, createPrismaClient } from '@qadaga/db';
import { AccessLogVerifier } from '@qadaga/ledger';
import { loadRulePack } from '@qadaga/rules';
import { testDatabaseUrl, testRedisUrl } from '@qadaga/db/testing';
import { startWorkerProcess } from '@qadaga/demo';
import { generateSigningKey, verifyBundle, verifyCheckpoint } from '@qadaga/evidence';
import { detection, insertFlag, startTestApp, type TestApp } from '../testing/test-app.js';

/**
 * Evidence end to end: the API takes the request, a real worker process builds and signs
 * the bundle, the API serves it, and the verifier (in the API and offline) checks it.
 */
let t: TestApp;
let worker: ChildProcess;
const key = generateSigningKey();
let prosecutor: { authorization: string };
let auditor: { authorization: string };
let caseId: string;

beforeAll(async () => {
  t = await startTestApp();
  const dir = mkdtempSync(path.join(tmpdir(), 'qadaga-keys-'));
  const keyFile = path.join(dir, 'signing.pem');
  writeFileSync(keyFile, key.privateKeyPem);
  worker = startWorkerProcess({ DATABASE_URL: testDatabaseUrl(), REDIS_URL: testRedisUrl(), SIGNING_KEY_FILES: keyFile, LOG_LEVEL: 'warn' });
  [prosecutor, auditor] = await Promise.all([t.signIn('prosecutor'), t.signIn('auditor')]);

  const events = [
    detection({ eventId: 'ev-1', violationRef: 'V-EV-1' }),
    detection({ eventId: 'ev-2', violationRef: 'V-EV-1', type: 'cancelled', actor: { kind: 'officer', id: 'OFF-EV', unit: 'U-1' }, payload: { reasonCode: 'other' } }),
    detection({ eventId: 'ev-3', violationRef: 'V-EV-2' }),
  ];
  const ingest = await t.app.inject({ method: 'POST', url: '/v1/events/batch', headers: { authorization: `Bearer ${t.keys.source}` }, payload: events });
  expect(ingest.json().summary.accepted).toBe(3);
  const { rows } = await t.pool.query('SELECT source, event_id AS "eventId", content_hash AS "contentHash", chain_hash AS "chainHash" FROM ledger_event ORDER BY id');
  const rule = loadRulePack().find((r) => r.id === 'officer-outlier-rate');
  if (rule === undefined) throw new Error('the pack has no officer-outlier-rate rule');
  await new RuleRepository(createPrismaClient(t.pool)).installBuiltIn(rule.id, rule as unknown as Record<string, unknown>);
  const flagId = await insertFlag(t.pool, { subjectId: 'OFF-EV', evidence: rows });
  const opened = await t.app.inject({ method: 'POST', url: '/v1/cases', headers: prosecutor, payload: { title: 'Cancelled detections of OFF-EV', flagIds: [flagId] } });
  caseId = opened.json().id;
  await t.app.inject({ method: 'POST', url: `/v1/cases/${caseId}/notes`, headers: prosecutor, payload: { text: 'Cancellation order requested.' } });
});

afterAll(async () => {
  worker?.kill('SIGTERM');
  await t.close();
});

async function waitForBundle(id: string, headers: { authorization: string }) {
  for (let i = 0; i < 300; i++) {
    const res = await t.app.inject({ method: 'GET', url: `/v1/bundles/${id}`, headers });
    const body = res.json();
    if (body.status === 'done' || body.status === 'failed') return body;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the bundle was not built within a minute');
}

describe('evidence bundles', () => {
  it('builds a case bundle in a worker, serves it, and it verifies offline and through the API', async () => {
    const requested = await t.app.inject({ method: 'POST', url: `/v1/cases/${caseId}/bundles`, headers: auditor, payload: { reason: 'Requested by the court for hearing 12' } });
    expect(requested.statusCode).toBe(202);
    expect(requested.json().status).toBe('queued');
    const done = await waitForBundle(requested.json().id, auditor);
    expect(done).toMatchObject({ status: 'done', progress: 100, error: null });
    expect(done.sha256).toMatch(/^[0-9a-f]{64}$/u);

    const download = await t.app.inject({ method: 'GET', url: `/v1/bundles/${done.id}/download`, headers: auditor });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/zip');
    const zip = download.rawPayload;
    expect(zip.length).toBe(done.size);

    const offline = await verifyBundle(zip, { trustedKeys: [key.keyId] });
    expect(offline.failures).toEqual([]);
    expect(offline.ok).toBe(true);
    expect(offline.checked.events).toBe(3);
    expect(offline.checked.signedBy).toBe(key.keyId);

    const online = await t.app.inject({ method: 'POST', url: '/v1/bundles/verify', headers: { ...auditor, 'content-type': 'application/zip' }, payload: zip });
    expect(online.json()).toMatchObject({ ok: true, failures: [] });
  });

  it('names the file when a byte of a downloaded bundle is changed', async () => {
    const requested = await t.app.inject({ method: 'POST', url: `/v1/cases/${caseId}/bundles`, headers: prosecutor, payload: { reason: 'Second copy for the case file' } });
    const done = await waitForBundle(requested.json().id, prosecutor);
    const zip = Buffer.from((await t.app.inject({ method: 'GET', url: `/v1/bundles/${done.id}/download`, headers: prosecutor })).rawPayload);
    // Change one byte of case.json's data, just past its local file header.
    const header = zip.indexOf(Buffer.concat([Buffer.from('504b0304', 'hex')]), zip.indexOf('case.json') - 30);
    expect(zip.toString('latin1', header + 30, header + 39)).toBe('case.json');
    const dataStart = header + 30 + zip.readUInt16LE(header + 26) + zip.readUInt16LE(header + 28);
    zip[dataStart + 3] = (zip[dataStart + 3] as number) ^ 0xff;
    const res = await t.app.inject({ method: 'POST', url: '/v1/bundles/verify', headers: { ...prosecutor, 'content-type': 'application/zip' }, payload: zip });
    const report = res.json();
    expect(report.ok).toBe(false);
    expect(report.failures.map((f: { file: string }) => f.file)).toContain('case.json');
  });

  it('refuses a bundle request without a reason, naming the field, and an unknown bundle', async () => {
    const res = await t.app.inject({ method: 'POST', url: `/v1/cases/${caseId}/bundles`, headers: auditor, payload: {} });
    expect(res.statusCode).toBe(422);
    expect(res.json().reasons[0].path).toBe('reason');
    expect((await t.app.inject({ method: 'GET', url: '/v1/bundles/00000000-0000-4000-8000-000000000000', headers: auditor })).statusCode).toBe(404);
    const wrongType = await t.app.inject({ method: 'POST', url: '/v1/bundles/verify', headers: { ...auditor, 'content-type': 'application/json' }, payload: {} });
    expect(wrongType.statusCode).toBe(415);
  });

  it('signs checkpoints of the chain heads that verify with the configured key', async () => {
    let latest;
    for (let i = 0; i < 100; i++) {
      const res = await t.app.inject({ method: 'GET', url: '/v1/checkpoints/latest', headers: auditor });
      if (res.statusCode === 200) {
        latest = res.json();
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(latest).toBeDefined();
    expect(latest.keyId).toBe(key.keyId);
    expect(verifyCheckpoint(latest, { trustedKeys: [key.keyId] })).toEqual({ ok: true });
    expect(latest.ledgerHeads.length).toBeGreaterThan(0);
  });

  it('records exports in the access log, and names an edited or deleted access-log row', async () => {
    const { rows } = await t.pool.query(`SELECT action FROM access_log WHERE subject_kind = 'case' AND subject_id = $1`, [caseId]);
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['export_bundle', 'download_bundle']));
    const verifier = new AccessLogVerifier(t.pool);
    expect((await verifier.verify()).ok).toBe(true);

    // An outsider with SQL access gets past the append-only trigger and rewrites history.
    await t.pool.query('ALTER TABLE access_log DISABLE TRIGGER access_log_append_only');
    try {
      const target = (await t.pool.query(`SELECT id FROM access_log WHERE action = 'download_bundle' ORDER BY id LIMIT 1`)).rows[0].id;
      await t.pool.query(`UPDATE access_log SET principal = 'user:someone-else' WHERE id = $1`, [target]);
      const victim = (
        await t.pool.query(`SELECT id, lane, seq FROM access_log WHERE seq = 1 AND id <> $1 AND lane IN (SELECT lane FROM access_log GROUP BY lane HAVING count(*) > 2) LIMIT 1`, [target])
      ).rows[0];
      await t.pool.query('DELETE FROM access_log WHERE id = $1', [victim.id]);
      const report = await verifier.verify();
      expect(report.ok).toBe(false);
      expect(report.failures).toContainEqual(expect.objectContaining({ kind: 'content_edited', rowId: target }));
      expect(report.failures).toContainEqual(expect.objectContaining({ kind: 'rows_missing', lane: victim.lane, seq: victim.seq }));
    } finally {
      await t.pool.query('ALTER TABLE access_log ENABLE TRIGGER access_log_append_only');
    }
  });
});
