import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { LifecycleEvent } from '@qadaga/domain';
import { AccessLogRepository, CheckpointRepository, createPool } from '@qadaga/db';
import { LedgerWriter } from '@qadaga/ledger';
import { resetLedger, testDatabaseUrl } from '@qadaga/db/testing';
import { KeyRing, generateSigningKey, signCheckpoint } from '@qadaga/evidence';

/**
 * `qadaga ledger verify` and `qadaga access-log verify` as an auditor runs them, with a
 * copy of GET /v1/checkpoints kept outside the product: a superuser who deletes the
 * checkpoints along with the rows they signed is still caught.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'qadaga-cli-ledger-'));
const pool = createPool({ url: testDatabaseUrl(), size: 2 });
const key = generateSigningKey();
const keyFile = path.join(dir, 'signing.pem');
writeFileSync(keyFile, key.privateKeyPem);

function qadaga(args: string[]) {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'tools/cli/bin/qadaga.mjs'), ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: testDatabaseUrl(), SIGNING_KEY_FILES: keyFile },
    encoding: 'utf8',
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr, json: () => JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') };
}

function events(n: number): { index: number; event: LifecycleEvent }[] {
  return Array.from({ length: n }, (_, i) => ({
    index: i,
    event: {
      source: 'cam-a',
      eventId: `cam-a-${i + 1}`,
      violationRef: `V-${i + 1}`,
      type: 'detected',
      occurredAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
      actor: { kind: 'camera', id: 'C1' },
      payload: { article: '592', plate: '123ABC02', speed: 80 + i },
    } as LifecycleEvent,
  }));
}

/** Signs the heads as the worker does, and writes the export an auditor keeps: GET /v1/checkpoints's answer. */
async function signAndExport(): Promise<{ file: string; id: string; at: string }> {
  const repo = new CheckpointRepository(pool);
  const heads = await repo.currentHeads();
  const cp = await repo.store(signCheckpoint({ at: new Date().toISOString(), ledgerHeads: heads.ledgerHeads, accessLogHead: { lanes: heads.accessLogLanes } }, KeyRing.of(key)));
  const file = path.join(dir, `checkpoints-${cp.id}.json`);
  writeFileSync(file, JSON.stringify({ items: await repo.since(new Date(0)) }));
  return { file, id: cp.id, at: cp.at };
}

async function asSuperuser(statements: [string, unknown[]][]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL session_replication_role = replica');
    for (const [sql, params] of statements) await client.query(sql, params);
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

beforeEach(async () => {
  await resetLedger(pool);
  await new LedgerWriter(pool).write(events(5));
});
afterAll(async () => {
  await pool.end();
  rmSync(dir, { recursive: true, force: true });
});

describe('qadaga ledger verify --checkpoints', () => {
  it('names checkpoints deleted from the database and the rows they signed, from the copy kept elsewhere', async () => {
    const kept = await signAndExport();
    const { rows } = await pool.query<{ chain_hash: string; head_hash: string }>(
      `SELECT e.chain_hash, c.head_hash FROM ledger_event e JOIN ledger_chain c USING (chain_id) WHERE e.chain_id = 'cam-a/0' AND e.chain_seq = 4`,
    );
    const { head_hash: signedHash, chain_hash: fourth } = rows[0] as { chain_hash: string; head_hash: string };
    await asSuperuser([
      [`DELETE FROM ledger_event WHERE chain_id = 'cam-a/0' AND chain_seq = 5`, []],
      [`UPDATE ledger_chain SET head_seq = 4, head_hash = $1 WHERE chain_id = 'cam-a/0'`, [fourth]],
      ['DELETE FROM ledger_checkpoint', []],
    ]);
    // Without the copy the rewrite is complete: rows, heads and checkpoints agree.
    expect(qadaga(['ledger', 'verify', '--json']).code).toBe(0);

    const run = qadaga(['ledger', 'verify', '--checkpoints', kept.file, '--json']);
    expect(run.code).toBe(1);
    const origin = { id: kept.id, at: kept.at, origin: 'file' };
    expect(run.json()).toMatchObject({
      ok: false,
      failures: [
        expect.objectContaining({ kind: 'checkpoint_missing_from_database', checkpoint: origin }),
        expect.objectContaining({ kind: 'head_behind_checkpoint', chainId: 'cam-a/0', seq: '5', signedHash, foundHash: null, checkpoint: origin }),
      ],
      checkpoints: { checked: 1, fromFile: 1, signaturesChecked: true, trust: 'product_keys' },
    });
    const human = qadaga(['ledger', 'verify', '--checkpoints', kept.file]);
    expect(human.stdout).toMatch(/^FAILED: .*against 1 signed checkpoints \(1 from .*\)/u);
    expect(human.stdout).toMatch(/head_behind_checkpoint cam-a\/0#5: the head of chain cam-a\/0 is at position 4, behind position 5/u);
  });

  it('passes an untouched ledger held to its stored checkpoints and the copy', async () => {
    const kept = await signAndExport();
    const run = qadaga(['ledger', 'verify', '--checkpoints', kept.file, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.json()).toMatchObject({ ok: true, checkpoints: { checked: 1, fromFile: 1, signaturesChecked: true } });
  });

  it('refuses a file that is not the answer of GET /v1/checkpoints, naming the field', async () => {
    const kept = await signAndExport();
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ items: [{ id: kept.id, at: kept.at, ledgerHeads: [{ chainId: 'cam-a/0', seq: 5, hash: 'XYZ' }], accessLogHead: null, keyId: 'k', publicKey: 'p', signature: 's' }] }));
    const run = qadaga(['ledger', 'verify', '--checkpoints', bad]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/--checkpoints .*bad\.json: not the answer of GET \/v1\/checkpoints/u);
    expect(run.stderr).toMatch(/items\.0\.ledgerHeads\.0\.seq: /u);
    expect(run.stderr).toMatch(/items\.0\.ledgerHeads\.0\.hash: 64 lowercase hex digits are required/u);
    const list = path.join(dir, 'list.json');
    writeFileSync(list, JSON.stringify([]));
    expect(qadaga(['ledger', 'verify', '--checkpoints', list]).stderr).toMatch(/\(file\): /u);
  });
});

describe('qadaga access-log verify --checkpoints', () => {
  it('names a lane whose last row was deleted and head moved back, held to the copy kept elsewhere', async () => {
    const log = new AccessLogRepository(pool);
    for (let i = 0; i < 6; i++) await log.record({ principal: 'user:a', roles: ['auditor'], action: 'view_case', subjectKind: 'case', subjectId: `C-${i}` });
    const kept = await signAndExport();
    const { rows } = await pool.query<{ lane: number; seq: string; hash: string }>('SELECT lane, head_seq AS seq, head_hash AS hash FROM access_log_chain WHERE head_seq > 0 ORDER BY lane LIMIT 1');
    const lane = rows[0] as { lane: number; seq: string; hash: string };
    await asSuperuser([
      ['DELETE FROM access_log WHERE lane = $1 AND seq = $2', [lane.lane, lane.seq]],
      ['UPDATE access_log_chain SET head_seq = head_seq - 1, head_hash = coalesce((SELECT chain_hash FROM access_log WHERE lane = $1 AND seq = $2::bigint - 1), head_hash) WHERE lane = $1', [lane.lane, lane.seq]],
      ['DELETE FROM ledger_checkpoint', []],
    ]);
    const run = qadaga(['access-log', 'verify', '--checkpoints', kept.file, '--json']);
    expect(run.code).toBe(1);
    expect(run.json().failures).toEqual([
      expect.objectContaining({ kind: 'checkpoint_missing_from_database', lane: null }),
      expect.objectContaining({ kind: 'head_behind_checkpoint', lane: lane.lane, seq: lane.seq, signedHash: lane.hash, checkpoint: { id: kept.id, at: kept.at, origin: 'file' } }),
    ]);
  });
});
