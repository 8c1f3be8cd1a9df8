import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { LifecycleEvent } from '@qadaga/domain';
import { chainLink, sha256Hex } from '@qadaga/domain/hashing';
import { CheckpointRepository, createPool } from '@qadaga/db';
import { asSuperuser, resetLedger, testDatabaseUrl } from '@qadaga/db/testing';
import { ArchiveRefusal, LedgerVerifier, LedgerWriter, verifyCheckpointExtension } from '@qadaga/ledger';
import { signCheckpoint, verifyCheckpoint } from '../signing/checkpoint.js';
import { KeyRing, generateSigningKey } from '../signing/key-ring.js';
import { canonicalEventOfLine } from '../verify/canonical-event.js';
import { sealSigningText } from './archive-format.js';
import { archiveLedgerMonth } from './archive-month.js';
import { verifyLedgerArchive } from './verify-archive.js';

/**
 * Three months of a ledger of two chains (received in January, February and March 2023),
 * one of them archived: the file verifies alone, every kind of tampering with it is named,
 * and the live chain verifies across a detached month from its signed boundary.
 */
const pool = createPool({ url: testDatabaseUrl(), size: 4 });
const writer = new LedgerWriter(pool);
const key = generateSigningKey();
const keyRing = KeyRing.of(key);
const pins = { trustedKeys: [key.keyId] };
const dir = mkdtempSync(path.join(os.tmpdir(), 'qadaga-archive-'));
const NOW = new Date('2026-12-07T12:00:00Z');
const signature = { signature: (cp: Parameters<typeof verifyCheckpoint>[0]) => verifyCheckpoint(cp, { trustedKeys: [key.keyId] }) };

/** Positions per chain received in each month: cam-a 4 + 4 + 4, cam-b 2 + 2 + 2. */
const MONTHS = ['2023-01', '2023-02', '2023-03'] as const;
const PER_MONTH = { 'cam-a': 4, 'cam-b': 2 } as const;

function events(source: string, n: number): { index: number; event: LifecycleEvent }[] {
  return Array.from({ length: n }, (_, i) => ({
    index: i,
    event: {
      source,
      eventId: `${source}-${i + 1}`,
      violationRef: `${source}-V${Math.floor(i / 2)}`,
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

/**
 * Writes the ledger now, then dates its rows into the three months as the writer would have
 * (a chain's rows never go back in time): received_at is the ledger's own clock and no hash covers it.
 */
async function threeMonths(): Promise<void> {
  await resetLedger(pool);
  const partitioned = await isPartitioned();
  if (partitioned) {
    // Detached months of earlier tests are tables of their own; resetLedger emptied them, drop them so each month can be made again.
    const { rows } = await pool.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE tablename LIKE 'ledger_event_y2023m%'`);
    for (const r of rows) {
      const attached = await pool.query(`SELECT 1 FROM pg_inherits WHERE inhrelid = $1::regclass`, [r.name]);
      if (attached.rowCount === 0) await pool.query(`DROP TABLE ${r.name}`);
    }
    for (const m of MONTHS) await pool.query(`SELECT attach_month_partition('ledger_event', $1::date)`, [`${m}-01`]);
  }
  await writer.write(events('cam-a', 12));
  await writer.write(events('cam-b', 6));
  await asSuperuser(pool, async (sql) => {
    for (const [chain, n] of Object.entries(PER_MONTH)) {
      for (const [i, m] of MONTHS.entries()) {
        const params = [`${chain}/0`, i * n + 1, (i + 1) * n, `${m}-10T00:00:00Z`];
        const set = `SET received_at = $4::timestamptz + (chain_seq * interval '1 minute') WHERE chain_id = $1 AND chain_seq BETWEEN $2 AND $3`;
        await sql(`UPDATE ledger_event ${set}`, params);
      }
    }
  });
}

const file = (name: string) => path.join(dir, name);

/** The file's lines, parsed; and the way back to a file. */
function readLines(f: string): Record<string, unknown>[] {
  return gunzipSync(readFileSync(f))
    .toString('utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
function writeLines(f: string, lines: unknown[]): void {
  writeFileSync(f, gzipSync(Buffer.from(lines.map((l) => `${JSON.stringify(l)}\n`).join(''), 'utf8')));
}

beforeEach(threeMonths);
afterAll(async () => {
  await pool.end();
  rmSync(dir, { recursive: true, force: true });
});

describe('archiving a month of the ledger', () => {
  it('writes February with its signed boundaries, and the file verifies alone', async () => {
    const result = await archiveLedgerMonth(pool, { month: '2023-02', out: file('feb.ndjson.gz'), minAgeMonths: 24, keyRing, now: NOW });
    expect(result).toMatchObject({ month: '2023-02', rows: 6, chains: 2, detached: null });
    // The start boundary is each chain's last position in January, the end its last in February.
    expect(result.startCheckpoint.ledgerHeads.map((h) => [h.chainId, h.seq])).toEqual([['cam-a/0', '4'], ['cam-b/0', '2']]);
    expect(result.endCheckpoint.ledgerHeads.map((h) => [h.chainId, h.seq])).toEqual([['cam-a/0', '8'], ['cam-b/0', '4']]);
    const lines = readLines(file('feb.ndjson.gz'));
    expect(lines).toHaveLength(1 + 6 + 1);
    expect(lines.slice(1, -1).map((l) => `${String(l['chainId'])}#${String(l['chainSeq'])}`)).toEqual(['cam-a/0#5', 'cam-a/0#6', 'cam-a/0#7', 'cam-a/0#8', 'cam-b/0#3', 'cam-b/0#4']);

    const verified = await verifyLedgerArchive(file('feb.ndjson.gz'), pins);
    expect(verified.failures).toEqual([]);
    expect(verified).toMatchObject({ ok: true, unpinned: false, checked: { month: '2023-02', rows: 6, chains: 2, signedBy: key.keyId } });

    const record = await pool.query<{ month: string; rows: string; detached_at: Date | null }>('SELECT month, rows, detached_at FROM ledger_archive');
    expect(record.rows).toEqual([{ month: '2023-02', rows: '6', detached_at: null }]);
    // Rows still live, the record's signed boundaries are held to them like any checkpoint.
    const live = await new LedgerVerifier(pool).verify({ checkpoints: signature });
    expect(live.failures).toEqual([]);
    expect(live.rowsChecked).toBe(18);
  });

  it('archives the first month from genesis', async () => {
    const result = await archiveLedgerMonth(pool, { month: '2023-01', out: file('jan.ndjson.gz'), minAgeMonths: 24, keyRing, now: NOW });
    expect(result.startCheckpoint.ledgerHeads).toEqual([]);
    expect((await verifyLedgerArchive(file('jan.ndjson.gz'), pins)).failures).toEqual([]);
  });

  it('refuses a month younger than the minimum age, or not over', async () => {
    await expect(archiveLedgerMonth(pool, { month: '2025-01', out: file('young.gz'), minAgeMonths: 24, keyRing, now: NOW })).rejects.toThrow(
      /2025-01 ended 2025-02-01T00:00:00.000Z, less than 24 months ago; months may be archived from 2027-02-01/u,
    );
    await expect(archiveLedgerMonth(pool, { month: '2026-12', out: file('open.gz'), minAgeMonths: 0, keyRing, now: NOW })).rejects.toThrow(/2026-12 is not over yet/u);
    await expect(archiveLedgerMonth(pool, { month: '2023-13', out: file('bad.gz'), minAgeMonths: 0, keyRing, now: NOW })).rejects.toThrow(/--month: a month as YYYY-MM is required/u);
    expect((await pool.query('SELECT 1 FROM ledger_archive')).rowCount).toBe(0);
  });

  it('refuses a month whose rows are not one stretch of a chain, naming the chain', async () => {
    // Position 6 of cam-a dated into March: February then ends at 5 and March holds 6 before 7.. — no cut is possible.
    await asSuperuser(pool, async (sql) => {
      await sql(`UPDATE ledger_event SET received_at = '2023-03-01T00:00:00Z' WHERE chain_id = 'cam-a/0' AND chain_seq = 6`);
    });
    await expect(archiveLedgerMonth(pool, { month: '2023-02', out: file('cut.gz'), minAgeMonths: 24, keyRing, now: NOW })).rejects.toThrow(/chain cam-a\/0: /u);
  });

  it('refuses to sign rows that do not chain, and writes no file', async () => {
    await asSuperuser(pool, async (sql) => {
      await sql(`UPDATE ledger_event SET payload = jsonb_set(payload, '{speed}', '200') WHERE chain_id = 'cam-a/0' AND chain_seq = 6`);
    });
    await expect(archiveLedgerMonth(pool, { month: '2023-02', out: file('edited.gz'), minAgeMonths: 24, keyRing, now: NOW })).rejects.toThrow(
      /chain cam-a\/0 position 6 \(event cam-a\/cam-a-6\): no longer matches its content hash/u,
    );
    expect(() => readFileSync(file('edited.gz'))).toThrow();
    expect(() => readFileSync(file('edited.gz.partial'))).toThrow();
  });
});

describe('verifying an archive file offline', () => {
  let original: Record<string, unknown>[];
  beforeEach(async () => {
    await archiveLedgerMonth(pool, { month: '2023-02', out: file('feb.ndjson.gz'), minAgeMonths: 24, keyRing, now: NOW });
    original = readLines(file('feb.ndjson.gz'));
  });
  const copy = () => structuredClone(original);

  it('names an edited row', async () => {
    const lines = copy();
    (lines[2]?.['payload'] as { speed: number }).speed = 200;
    writeLines(file('edited.gz'), lines);
    const result = await verifyLedgerArchive(file('edited.gz'), pins);
    expect(result.ok).toBe(false);
    expect(result.failures).toContainEqual({ file: 'rows', reason: expect.stringMatching(/^chain cam-a\/0 position 6 \(event cam-a\/cam-a-6, line 3\) was changed: its content hashes to [0-9a-f]{64}, the file states [0-9a-f]{64}$/u) as string });
  });

  it('catches a row edited with every hash after it recomputed by someone without the key', async () => {
    const lines = copy();
    const rows = lines.slice(1, -1);
    (rows[1]?.['payload'] as { speed: number }).speed = 200;
    // The forger recomputes the content hash, every later link of the chain, the trailer's hash and counts.
    let previous = String(original[1]?.['chainHash']);
    for (const row of rows.slice(1, 4)) {
      row['contentHash'] = sha256Hex(canonicalEventOfLine(row));
      row['chainHash'] = chainLink(BigInt(row['chainSeq'] as number), previous, row['contentHash'] as string);
      previous = row['chainHash'] as string;
    }
    const body = [lines[0], ...rows].map((l) => `${JSON.stringify(l)}\n`).join('');
    const trailer = lines.at(-1)?.['trailer'] as Record<string, unknown>;
    trailer['bodySha256'] = sha256Hex(body);
    writeLines(file('forged.gz'), lines);
    const result = await verifyLedgerArchive(file('forged.gz'), pins);
    expect(result.ok).toBe(false);
    expect(result.failures.map((f) => f.reason).join('\n')).not.toMatch(/was changed/u);
    expect(result.failures).toContainEqual({ file: 'rows', reason: expect.stringMatching(/^chain cam-a\/0: the rows lead to [0-9a-f]{64} at position 8, but the end checkpoint signed [0-9a-f]{64}: rows were rewritten$/u) as string });
    expect(result.failures).toContainEqual({ file: 'trailer', reason: expect.stringMatching(/^the seal: the signature by key [0-9a-f]{16} does not match the signed content$/u) as string });
  });

  it('catches a forger who re-signs everything with a key of their own', async () => {
    const thief = KeyRing.of(generateSigningKey());
    const lines = copy();
    const header = lines[0] as Record<string, unknown>;
    for (const edge of ['startCheckpoint', 'endCheckpoint']) {
      const cp = header[edge] as { at: string; ledgerHeads: { chainId: string; seq: string; hash: string }[] };
      header[edge] = signCheckpoint({ at: cp.at, ledgerHeads: cp.ledgerHeads, accessLogHead: null }, thief);
    }
    const body = lines.slice(0, -1).map((l) => `${JSON.stringify(l)}\n`).join('');
    const trailer = lines.at(-1)?.['trailer'] as { format: 'qadaga-ledger-archive/1'; month: string; rows: number; chains: number; bodySha256: string; seal: unknown };
    trailer.bodySha256 = sha256Hex(body);
    trailer.seal = thief.sign(sealSigningText(trailer));
    writeLines(file('resigned.gz'), lines);
    const result = await verifyLedgerArchive(file('resigned.gz'), pins);
    expect(result.ok).toBe(false);
    expect(result.failures).toContainEqual({ file: 'header', reason: `the start checkpoint is signed by an unknown key ${thief.activeKeyId}: not among the 1 pinned key` });
    expect(result.failures).toContainEqual({ file: 'trailer', reason: `the seal is signed by an unknown key ${thief.activeKeyId}: not among the 1 pinned key` });
  });

  it('names what a file cut short is missing', async () => {
    // Whole lines cut and the rest compressed again: no trailer, and the chains' missing positions.
    const lines = copy();
    writeLines(file('cut.gz'), lines.slice(0, 4));
    const cut = await verifyLedgerArchive(file('cut.gz'), pins);
    expect(cut.ok).toBe(false);
    expect(cut.failures).toEqual([
      { file: 'rows', reason: 'chain cam-a/0: positions 8..8 are missing (the end checkpoint signs 8)' },
      { file: 'rows', reason: 'chain cam-b/0: positions 3..4 are missing (the end checkpoint signs 4)' },
      { file: 'trailer', reason: 'missing: the file is cut short after line 4 (3 rows read)' },
    ]);
    // The compressed bytes cut: the stream itself breaks off.
    const bytes = readFileSync(file('feb.ndjson.gz'));
    writeFileSync(file('half.gz'), bytes.subarray(0, Math.floor(bytes.length * 0.8)));
    const half = await verifyLedgerArchive(file('half.gz'), pins);
    expect(half.ok).toBe(false);
    expect(half.failures[0]).toEqual({ file: '(file)', reason: expect.stringMatching(/^the compressed stream breaks off after line \d+ \(unexpected end of file\): the file is cut short or damaged$/u) as string });
    expect(half.failures.at(-1)).toEqual({ file: 'trailer', reason: expect.stringMatching(/^missing: the file is cut short/u) as string });
  });

  it('catches swapped boundaries', async () => {
    const lines = copy();
    const header = lines[0] as Record<string, unknown>;
    [header['startCheckpoint'], header['endCheckpoint']] = [header['endCheckpoint'], header['startCheckpoint']];
    writeLines(file('swapped.gz'), lines);
    const result = await verifyLedgerArchive(file('swapped.gz'), pins);
    expect(result.ok).toBe(false);
    expect(result.failures).toContainEqual({ file: 'header', reason: "chain cam-a/0: the end checkpoint signs position 4, before the start checkpoint's 8: the boundaries are swapped or from other months" });
    // The seal still holds over the file as written: what it sealed is no longer what the file holds.
    expect(result.failures).toContainEqual({ file: 'trailer', reason: expect.stringMatching(/^states the file before it hashes to [0-9a-f]{64}, it hashes to [0-9a-f]{64}$/u) as string });
  });

  it('catches a start boundary taken from another archive', async () => {
    await archiveLedgerMonth(pool, { month: '2023-03', out: file('mar.ndjson.gz'), minAgeMonths: 24, keyRing, now: NOW });
    const march = readLines(file('mar.ndjson.gz'));
    const lines = copy();
    // A genuinely signed checkpoint, but of March's start: February's rows do not start there.
    (lines[0] as Record<string, unknown>)['startCheckpoint'] = (march[0] as Record<string, unknown>)['startCheckpoint'];
    writeLines(file('mixed.gz'), lines);
    const result = await verifyLedgerArchive(file('mixed.gz'), pins);
    expect(result.ok).toBe(false);
    expect(result.failures).toContainEqual({ file: 'header', reason: 'segment of chain cam-a/0 (4..8) is not what the signed checkpoints bound' });
    expect(result.failures).toContainEqual({ file: 'rows', reason: 'chain cam-a/0 position 5 (event cam-a/cam-a-5, line 2): the signed checkpoints bound no rows of chain cam-a/0 in this month' });
  });

  it('without pinned keys says who signed is unproven, and nothing else', async () => {
    const result = await verifyLedgerArchive(file('feb.ndjson.gz'), { unpinnedAdvice: 'pass --keys' });
    expect(result).toMatchObject({ ok: false, unpinned: true });
    expect(result.failures).toEqual([{ file: 'header', reason: `the start checkpoint is signed by an unknown key ${key.keyId}: pass --keys` }]);
  });
});

describe('the live chain after a month is detached', () => {
  it('verifies from the signed boundary when the ledger is partitioned, and refuses detaching when it is not', async () => {
    if (!(await isPartitioned())) {
      await expect(archiveLedgerMonth(pool, { month: '2023-01', out: file('jan.gz'), minAgeMonths: 24, keyRing, now: NOW, detach: true })).rejects.toThrow(
        /--detach: ledger_event is not partitioned by month, so a month cannot be detached from it/u,
      );
      expect((await pool.query('SELECT 1 FROM ledger_archive')).rowCount).toBe(0);
      return;
    }
    const jan = await archiveLedgerMonth(pool, { month: '2023-01', out: file('jan.gz'), minAgeMonths: 24, keyRing, now: NOW, detach: true });
    expect(jan.detached).toEqual({ partition: 'ledger_event_y2023m01', dropped: false });
    const verifier = new LedgerVerifier(pool);
    const after = await verifier.verify({ checkpoints: signature });
    expect(after.failures).toEqual([]);
    expect(after.rowsChecked).toBe(18 - 6);
    expect(after.chains.map((c) => [c.chainId, c.headSeq])).toEqual([['cam-a/0', '12'], ['cam-b/0', '6']]);

    // February too, dropped: the walk joins both spans on their signed hashes.
    const feb = await archiveLedgerMonth(pool, { month: '2023-02', out: file('feb.gz'), minAgeMonths: 24, keyRing, now: NOW, detach: true, drop: true });
    expect(feb.detached).toEqual({ partition: 'ledger_event_y2023m02', dropped: true });
    expect((await verifier.verify({ checkpoints: signature })).failures).toEqual([]);
    expect((await verifyLedgerArchive(file('jan.gz'), pins)).ok).toBe(true);
    expect((await verifyLedgerArchive(file('feb.gz'), pins)).ok).toBe(true);

    // A superuser rewrites the boundary record to fit rewritten rows: its signature no longer holds.
    await asSuperuser(pool, async (sql) => {
      await sql(`UPDATE ledger_archive SET end_checkpoint = jsonb_set(end_checkpoint, '{ledgerHeads,0,hash}', to_jsonb(repeat('a', 64))) WHERE month = '2023-02'`);
    });
    const rewritten = await verifier.verify({ checkpoints: signature });
    expect(rewritten.ok).toBe(false);
    expect(rewritten.failures).toContainEqual(expect.objectContaining({ kind: 'checkpoint_signature_invalid', message: expect.stringMatching(/^archive 2023-02 end \(ledger_archive\): the signature by key [0-9a-f]{16} does not match the signed content; the archived month's rows count as missing$/u) as string }));
    expect(rewritten.failures).toContainEqual(expect.objectContaining({ kind: 'rows_missing', chainId: 'cam-a/0', seq: '5' }));

    // Deleting the record instead leaves the walk a gap it cannot cross.
    await asSuperuser(pool, async (sql) => {
      await sql(`DELETE FROM ledger_archive WHERE month = '2023-02'`);
    });
    const deleted = await verifier.verify({ checkpoints: signature });
    expect(deleted.failures).toContainEqual(expect.objectContaining({ kind: 'rows_missing', chainId: 'cam-a/0', seq: '5' }));
  });

  it('lets the checkpoint signer extend a chain idle since a detached month', async () => {
    if (!(await isPartitioned())) return;
    // cam-c wrote only in January: its newest signed position leaves with the month.
    await writer.write(events('cam-c', 2));
    await asSuperuser(pool, async (sql) => {
      await sql(`UPDATE ledger_event SET received_at = '2023-01-20T00:00:00Z'::timestamptz + chain_seq * interval '1 minute' WHERE chain_id = 'cam-c/0'`);
    });
    const repo = new CheckpointRepository(pool);
    const heads = await repo.currentHeads();
    const previous = await repo.store(signCheckpoint({ at: new Date().toISOString(), ledgerHeads: heads.ledgerHeads, accessLogHead: { lanes: heads.accessLogLanes } }, keyRing));
    await archiveLedgerMonth(pool, { month: '2023-01', out: file('jan-c.gz'), minAgeMonths: 24, keyRing, now: NOW, detach: true, drop: true });
    const extension = await verifyCheckpointExtension(pool, previous);
    expect(extension.failures).toEqual([]);
    expect((await new LedgerVerifier(pool).verify({ checkpoints: signature })).failures).toEqual([]);
  });

  it('refuses detaching a month already detached, and keeps its record', async () => {
    if (!(await isPartitioned())) return;
    await archiveLedgerMonth(pool, { month: '2023-01', out: file('jan.gz'), minAgeMonths: 24, keyRing, now: NOW, detach: true });
    await expect(archiveLedgerMonth(pool, { month: '2023-01', out: file('jan2.gz'), minAgeMonths: 24, keyRing, now: NOW, detach: true })).rejects.toBeInstanceOf(ArchiveRefusal);
    expect((await pool.query('SELECT file_name FROM ledger_archive')).rows).toEqual([{ file_name: file('jan.gz') }]);
  });
});

describe('a ledger not partitioned by month', () => {
  it('exports and verifies the month, and refuses detaching it with a clear message', async () => {
    // On a partitioned ledger, the same rows in a plain table of that name, found first on the search path.
    const partitioned = await isPartitioned();
    if (partitioned) {
      await pool.query('DROP SCHEMA IF EXISTS archive_flat CASCADE; CREATE SCHEMA archive_flat');
      await pool.query('CREATE TABLE archive_flat.ledger_event (LIKE public.ledger_event INCLUDING DEFAULTS)');
      await pool.query('INSERT INTO archive_flat.ledger_event SELECT * FROM public.ledger_event');
    }
    const url = new URL(testDatabaseUrl());
    if (partitioned) url.searchParams.set('options', '-c search_path=archive_flat,public');
    const flat = createPool({ url: url.toString(), size: 2 });
    try {
      await expect(archiveLedgerMonth(flat, { month: '2023-02', out: file('flat.gz'), minAgeMonths: 24, keyRing, now: NOW, detach: true })).rejects.toThrow(
        '--detach: ledger_event is not partitioned by month, so a month cannot be detached from it; archive without --detach (the file is written and verifies the same) or partition the ledger first',
      );
      expect((await flat.query('SELECT 1 FROM ledger_archive')).rowCount).toBe(0);
      const result = await archiveLedgerMonth(flat, { month: '2023-02', out: file('flat.gz'), minAgeMonths: 24, keyRing, now: NOW });
      expect(result).toMatchObject({ storage: 'unpartitioned', rows: 6, detached: null });
      expect((await verifyLedgerArchive(file('flat.gz'), pins)).failures).toEqual([]);
      expect((await flat.query('SELECT month, detached_at FROM ledger_archive')).rows).toEqual([{ month: '2023-02', detached_at: null }]);
    } finally {
      await flat.end();
      if (partitioned) await pool.query('DROP SCHEMA archive_flat CASCADE');
    }
  });
});
