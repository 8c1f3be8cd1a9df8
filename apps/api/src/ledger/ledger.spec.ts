import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AccessLogRepository, CheckpointRepository, IntegrityAlarmRepository } from '@qadaga/db';
import { LEDGER_EVENT_COLUMNS, rowToEvent, type LedgerEventRow } from '@qadaga/ledger';
import { resetLedger } from '@qadaga/db/testing';
import { canonicalEventForm, chainLink, GENESIS_HASH, sha256Hex } from '@qadaga/domain/hashing';
import { KeyRing, generateSigningKey, signCheckpoint } from '@qadaga/evidence';
import { detection, startTestApp, type TestApp } from '../testing/test-app.js';

/**
 * Verification over HTTP holds the rows to the stored checkpoints, and a checkpoint counts
 * only when one of the product's keys (SIGNING_KEY_FILES) signed it.
 */
let t: TestApp;
let auditor: { authorization: string };
const key = generateSigningKey();
const ring = KeyRing.of(key);

async function checkpointNow(signer = ring) {
  const repo = new CheckpointRepository(t.pool);
  const heads = await repo.currentHeads();
  return repo.store(signCheckpoint({ at: new Date().toISOString(), ledgerHeads: heads.ledgerHeads, accessLogHead: { lanes: heads.accessLogLanes } }, signer));
}

async function asSuperuser(work: (sql: (text: string, params?: unknown[]) => Promise<LedgerEventRow[]>) => Promise<void>): Promise<void> {
  const client = await t.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL session_replication_role = replica');
    await work(async (text, params = []) => (await client.query<LedgerEventRow>(text, params)).rows);
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

const verify = async (url: string) => (await t.app.inject({ method: 'POST', url, headers: auditor })).json();

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'qadaga-keys-'));
  const keyFile = path.join(dir, 'signing.pem');
  writeFileSync(keyFile, key.privateKeyPem);
  t = await startTestApp({ SIGNING_KEY_FILES: keyFile });
  auditor = await t.signIn('auditor');
});
beforeEach(async () => {
  // Users and keys stay; the chains and checkpoints start again.
  await t.pool.query('TRUNCATE ledger_event, ledger_chain, violation, ledger_checkpoint, integrity_alarm, access_log, access_log_chain RESTART IDENTITY CASCADE');
  const events = [1, 2, 3, 4].map((i) => detection({ eventId: `lv-${i}`, violationRef: `V-LV-${i}` }));
  const ingest = await t.app.inject({ method: 'POST', url: '/v1/events/batch', headers: { authorization: `Bearer ${t.keys.source}` }, payload: events });
  expect(ingest.json().summary.accepted).toBe(4);
});
afterAll(async () => {
  await resetLedger(t.pool);
  await t.close();
});

describe('POST /v1/ledger/verify against signed checkpoints', () => {
  it('names a row edited with every later hash and the head recomputed', async () => {
    const cp = await checkpointNow();
    const signed = cp.ledgerHeads[0] as { chainId: string; seq: string; hash: string };
    let forged = GENESIS_HASH;
    await asSuperuser(async (sql) => {
      for (const row of await sql(`SELECT ${LEDGER_EVENT_COLUMNS} FROM ledger_event WHERE chain_id = $1 ORDER BY chain_seq`, [signed.chainId])) {
        const edited = row.chain_seq === '2' ? { ...row, payload: { ...row.payload, speed: 59 } } : row;
        const content = sha256Hex(canonicalEventForm(rowToEvent(edited)));
        forged = chainLink(BigInt(row.chain_seq), forged, content);
        await sql('UPDATE ledger_event SET payload = $2, content_hash = $3, chain_hash = $4 WHERE id = $1', [row.id, edited.payload, content, forged]);
      }
      await sql('UPDATE ledger_chain SET head_hash = $2 WHERE chain_id = $1', [signed.chainId, forged]);
    });
    const report = await verify('/v1/ledger/verify');
    expect(report.ok).toBe(false);
    expect(report.failures).toEqual([
      expect.objectContaining({ kind: 'checkpoint_hash_mismatch', chainId: signed.chainId, seq: signed.seq, signedHash: signed.hash, foundHash: forged, checkpoint: { id: cp.id, at: cp.at, origin: 'database' } }),
    ]);
    expect(report.checkpoints).toEqual({ checked: 1, fromFile: 0, signaturesChecked: true, trust: 'product_keys' });
  });

  it("names a stored checkpoint that the product's keys did not sign, and does not hold the rows to it", async () => {
    const stranger = await checkpointNow(KeyRing.of(generateSigningKey()));
    const report = await verify('/v1/ledger/verify');
    expect(report.failures).toEqual([expect.objectContaining({ kind: 'checkpoint_signature_invalid', chainId: null, checkpoint: { id: stranger.id, at: stranger.at, origin: 'database' } })]);
    expect(report.failures[0].message).toMatch(/not among the trusted keys/u);
  });

  it('passes a ledger that extends its checkpoints', async () => {
    await checkpointNow();
    await t.app.inject({ method: 'POST', url: '/v1/events', headers: { authorization: `Bearer ${t.keys.source}` }, payload: detection({ eventId: 'lv-5', violationRef: 'V-LV-5' }) });
    const report = await verify('/v1/ledger/verify');
    expect(report.failures).toEqual([]);
    expect(report.ok).toBe(true);
  });
});

describe('POST /v1/access-log/verify against signed checkpoints', () => {
  it('names the last row of a lane deleted and its head moved back', async () => {
    const log = new AccessLogRepository(t.pool);
    for (let i = 0; i < 6; i++) await log.record({ principal: 'user:a', roles: ['auditor'], action: 'view_case', subjectKind: 'case', subjectId: `C-${i}` });
    const cp = await checkpointNow();
    const lane = (cp.accessLogHead?.lanes ?? []).find((l) => l.seq !== '0') as { lane: number; seq: string; hash: string };
    await asSuperuser(async (sql) => {
      await sql('DELETE FROM access_log WHERE lane = $1 AND seq = $2', [lane.lane, lane.seq]);
      // And its key across the log's months, or no later record could take the position again.
      await sql('DELETE FROM access_log_key WHERE lane = $1 AND seq = $2', [lane.lane, lane.seq]);
      await sql(`UPDATE access_log_chain SET head_seq = head_seq - 1, head_hash = (SELECT chain_hash FROM access_log WHERE lane = $1 AND seq = $2 - 1) WHERE lane = $1`, [lane.lane, lane.seq]);
    });
    const report = await verify('/v1/access-log/verify');
    expect(report.ok).toBe(false);
    // The verify request records itself in the access log first. When that record lands on the
    // attacked lane it fills the deleted position with another hash: the rewrite is then named
    // as a mismatch at the same position instead of a head behind it. Either way, it is named.
    const named = report.failures.filter((f: { lane?: number; seq?: string }) => f.lane === lane.lane && f.seq === lane.seq);
    expect(named).toEqual([expect.objectContaining({ kind: expect.stringMatching(/^(head_behind_checkpoint|checkpoint_hash_mismatch)$/u), signedHash: lane.hash, checkpoint: { id: cp.id, at: cp.at, origin: 'database' } })]);
    expect(report.checkpoints).toMatchObject({ signaturesChecked: true, trust: 'product_keys' });
  });
});

describe('GET /v1/integrity/alarms', () => {
  it('shows the alarms the checkpoint signer raised, newest first, with what each found', async () => {
    const alarms = new IntegrityAlarmRepository(t.pool);
    const failure = { log: 'ledger', kind: 'checkpoint_hash_mismatch', chain: 'sergek-almaty/0', seq: '4', signedHash: 'a'.repeat(64), foundHash: 'b'.repeat(64), message: 'position 4 holds another hash' };
    await alarms.raise({ kind: 'checkpoint_vanished', message: 'checkpoint 3 is gone', checkpointId: '3', failures: [] });
    await alarms.raise({ kind: 'checkpoint_not_extended', message: 'the chains no longer extend checkpoint 4', checkpointId: '4', failures: [failure] });
    const res = await t.app.inject({ method: 'GET', url: '/v1/integrity/alarms', headers: auditor });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([
      expect.objectContaining({ kind: 'checkpoint_not_extended', checkpointId: '4', failures: [failure] }),
      expect.objectContaining({ kind: 'checkpoint_vanished', checkpointId: '3' }),
    ]);
    const bad = await t.app.inject({ method: 'GET', url: '/v1/integrity/alarms?limit=0', headers: auditor });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().reasons).toEqual([expect.objectContaining({ path: 'limit' })]);
  });
});
