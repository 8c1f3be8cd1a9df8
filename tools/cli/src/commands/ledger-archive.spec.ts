import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LifecycleEvent } from '@qadaga/domain';
import { createPool } from '@qadaga/db';
import { asSuperuser, resetLedger, testDatabaseUrl } from '@qadaga/db/testing';
import { LedgerWriter } from '@qadaga/ledger';
import { generateSigningKey } from '@qadaga/evidence';

/**
 * `qadaga ledger archive` and `qadaga ledger verify --archive` as an operator and an
 * auditor run them: exit 0 archived or verified, 1 a file that fails, 2 no key pinned,
 * 3 an archive refused with nothing changed.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'qadaga-cli-archive-'));
const pool = createPool({ url: testDatabaseUrl(), size: 2 });
const key = generateSigningKey();
const keyFile = path.join(dir, 'signing.pem');
writeFileSync(keyFile, key.privateKeyPem);
const pubFile = path.join(dir, 'signing.pub.pem');
writeFileSync(pubFile, key.publicKeyPem);

function qadaga(args: string[], env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'tools/cli/bin/qadaga.mjs'), ...args], {
    cwd: ROOT,
    // An empty value stands for a variable not set at all.
    env: Object.fromEntries(Object.entries({ ...process.env, DATABASE_URL: testDatabaseUrl(), SIGNING_KEY_FILES: keyFile, ...env }).filter(([, v]) => v !== '')),
    encoding: 'utf8',
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr, json: () => JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown> };
}

function events(n: number): { index: number; event: LifecycleEvent }[] {
  return Array.from({ length: n }, (_, i) => ({
    index: i,
    event: {
      source: 'cam-a',
      eventId: `cam-a-${i + 1}`,
      violationRef: `V-${i + 1}`,
      type: 'detected',
      occurredAt: new Date(Date.UTC(2023, 0, 1, 0, i)).toISOString(),
      actor: { kind: 'camera', id: 'C1' },
      payload: { article: '592', plate: '123ABC02', speed: 80 + i },
    } as LifecycleEvent,
  }));
}

async function isPartitioned(): Promise<boolean> {
  const { rows } = await pool.query<{ p: boolean }>(`SELECT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = 'ledger_event'::regclass) AS p`);
  return rows[0]?.p === true;
}

/** Nine rows of one chain, three received in each of January, February and March 2023. */
beforeAll(async () => {
  await resetLedger(pool);
  if (await isPartitioned()) {
    const { rows } = await pool.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE tablename LIKE 'ledger_event_y2023m%'`);
    for (const r of rows) {
      if ((await pool.query(`SELECT 1 FROM pg_inherits WHERE inhrelid = $1::regclass`, [r.name])).rowCount === 0) await pool.query(`DROP TABLE ${r.name}`);
    }
    for (const m of ['2023-01', '2023-02', '2023-03']) await pool.query(`SELECT attach_month_partition('ledger_event', $1::date)`, [`${m}-01`]);
  }
  await new LedgerWriter(pool).write(events(9));
  await asSuperuser(pool, async (sql) => {
    const set = `SET received_at = make_timestamptz(2023, ((chain_seq - 1) / 3 + 1)::int, 10, 0, chain_seq::int, 0, 'UTC')`;
    await sql(`UPDATE ledger_event ${set}`);
  });
});
afterAll(async () => {
  await pool.end();
  rmSync(dir, { recursive: true, force: true });
});

describe('qadaga ledger archive', () => {
  it('refuses a month too young, a bad month and --drop alone, changing nothing (exit 3)', () => {
    const young = qadaga(['ledger', 'archive', '--month', '2026-01', '--out', path.join(dir, 'young.gz')]);
    expect(young.code).toBe(3);
    expect(young.stderr).toMatch(/--month: 2026-01 ended 2026-02-01T00:00:00.000Z, less than 24 months ago/u);
    expect(qadaga(['ledger', 'archive', '--month', '2023-1', '--out', path.join(dir, 'bad.gz')]).stderr).toMatch(/--month: a month as YYYY-MM is required, got "2023-1"/u);
    expect(qadaga(['ledger', 'archive', '--month', '2023-02', '--out', path.join(dir, 'x.gz'), '--drop']).code).toBe(3);
    const noKey = qadaga(['ledger', 'archive', '--month', '2023-02', '--out', path.join(dir, 'x.gz')], { SIGNING_KEY_FILES: '' });
    expect(noKey.code).toBe(3);
    expect(noKey.stderr).toMatch(/SIGNING_KEY_FILES: is not set: the boundaries of an archive must be signed with the product's key/u);
  });

  it('archives February, and the file verifies offline against the pinned key', async () => {
    const out = path.join(dir, 'feb.ndjson.gz');
    const run = qadaga(['ledger', 'archive', '--month', '2023-02', '--out', out, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.json()).toMatchObject({ ok: true, month: '2023-02', rows: 3, chains: 1, signedBy: key.keyId, detached: null });

    // No database: the auditor's run has no DATABASE_URL that would answer.
    const offline = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' };
    const verified = qadaga(['ledger', 'verify', '--archive', out, '--keys', pubFile, '--json'], offline);
    expect(verified.code).toBe(0);
    expect(verified.json()).toMatchObject({ ok: true, checked: { month: '2023-02', rows: 3, chains: 1, signedBy: key.keyId } });
    expect(qadaga(['ledger', 'verify', '--archive', out, '--trust', key.keyId], offline).stdout).toMatch(/^OK: .* verified against the pinned keys \(2023-02: 3 rows of 1 chains; signed by key [0-9a-f]{16}\)/u);

    const unpinned = qadaga(['ledger', 'verify', '--archive', out], offline);
    expect(unpinned.code).toBe(2);
    expect(unpinned.stdout).toMatch(/^UNVERIFIED SIGNER: .* is whole, but the start checkpoint is signed by an unknown key/u);

    const lines = gunzipSync(readFileSync(out)).toString('utf8').trim().split('\n');
    const row = JSON.parse(lines[2] as string) as { payload: { speed: number } };
    row.payload.speed = 200;
    lines[2] = JSON.stringify(row);
    const edited = path.join(dir, 'edited.gz');
    writeFileSync(edited, gzipSync(`${lines.join('\n')}\n`));
    const failed = qadaga(['ledger', 'verify', '--archive', edited, '--keys', pubFile], offline);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^FAILED: .*\n {2}rows: chain cam-a\/0 position 5 \(event cam-a\/cam-a-5, line 3\) was changed/u);
  });

  it('detaches January when the ledger is partitioned, and the live ledger still verifies; else refuses the detach', async () => {
    const out = path.join(dir, 'jan.ndjson.gz');
    const run = qadaga(['ledger', 'archive', '--month', '2023-01', '--out', out, '--detach', '--json']);
    if (!(await isPartitioned())) {
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(/--detach: ledger_event is not partitioned by month/u);
      return;
    }
    expect(run.code).toBe(0);
    expect(run.json()).toMatchObject({ ok: true, rows: 3, storage: 'partition', detached: { partition: 'ledger_event_y2023m01', dropped: false } });
    const live = qadaga(['ledger', 'verify', '--json']);
    expect(live.json()).toMatchObject({ ok: true, rowsChecked: 6, failures: [] });
    expect(live.code).toBe(0);
  });
});
