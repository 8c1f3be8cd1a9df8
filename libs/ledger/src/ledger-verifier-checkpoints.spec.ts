import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { LifecycleEvent } from '@qadaga/domain';
import { canonicalEventForm, chainLink, GENESIS_HASH, sha256Hex } from '@qadaga/domain/hashing';
import { CheckpointRepository, createPool, type StoredCheckpoint } from '@qadaga/db';
import { asSuperuser as asSuperuserOn, resetLedger, testDatabaseUrl, type SuperuserSql } from '@qadaga/db/testing';
import { LEDGER_EVENT_COLUMNS, rowToEvent, type LedgerEventRow } from './ledger-row.js';
import { LedgerVerifier } from './ledger-verifier.js';
import { LedgerWriter } from './ledger-writer.js';

/**
 * An attacker with the database's superuser rights but not the signing key: every rewrite
 * below leaves chains that recompute cleanly from the rows, so only the signed checkpoints
 * can tell. The signature itself is not this library's concern (it has no keys); these
 * checkpoints carry a placeholder and the signature check is covered where keys are.
 */
const pool = createPool({ url: testDatabaseUrl(), size: 4 });
const writer = new LedgerWriter(pool);
const verifier = new LedgerVerifier(pool);
const checkpoints = new CheckpointRepository(pool);

function events(source: string, from: number, n: number): { index: number; event: LifecycleEvent }[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return {
      index: k,
      event: {
        source,
        eventId: `${source}-${i}`,
        violationRef: `${source}-V${Math.floor(i / 2)}`,
        type: 'detected',
        occurredAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
        actor: { kind: 'camera', id: 'C1' },
        payload: { article: '592', plate: '123ABC02', speed: 80 + i },
      } as LifecycleEvent,
    };
  });
}

/** A checkpoint of the heads as they are now, stored as the worker stores one. */
async function checkpointNow(): Promise<StoredCheckpoint> {
  const heads = await checkpoints.currentHeads();
  return checkpoints.store({ at: new Date().toISOString(), ledgerHeads: heads.ledgerHeads, accessLogHead: { lanes: heads.accessLogLanes }, keyId: '0'.repeat(16), publicKey: 'unsigned', signature: 'unsigned' });
}

/** Runs SQL as the superuser does it: with every trigger, the append-only ones included, switched off. */
const asSuperuser = (work: (sql: SuperuserSql<LedgerEventRow>) => Promise<void>) => asSuperuserOn<LedgerEventRow>(pool, work);

const contentHashOf = (row: LedgerEventRow) => sha256Hex(canonicalEventForm(rowToEvent(row)));

async function chainRows(chainId: string): Promise<LedgerEventRow[]> {
  return (await pool.query<LedgerEventRow>(`SELECT ${LEDGER_EVENT_COLUMNS} FROM ledger_event WHERE chain_id = $1 ORDER BY chain_seq`, [chainId])).rows;
}

async function headOf(chainId: string): Promise<{ seq: string; hash: string }> {
  const { rows } = await pool.query<{ head_seq: string; head_hash: string }>('SELECT head_seq, head_hash FROM ledger_chain WHERE chain_id = $1', [chainId]);
  return { seq: rows[0]?.head_seq ?? '', hash: rows[0]?.head_hash ?? '' };
}

const ref = (cp: StoredCheckpoint) => ({ id: cp.id, at: cp.at, origin: 'database' });

beforeEach(async () => {
  await resetLedger(pool);
  await writer.write(events('cam-a', 1, 10));
  await writer.write(events('cam-b', 1, 5));
});
afterAll(async () => pool.end());

describe('ledger verification against signed checkpoints', () => {
  it('passes a ledger that extends every checkpoint', async () => {
    await checkpointNow();
    await writer.write(events('cam-a', 11, 3));
    await checkpointNow();
    await writer.write(events('cam-c', 1, 2));
    const report = await verifier.verify();
    expect(report.failures).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.checkpoints).toEqual({ checked: 2, fromFile: 0, signaturesChecked: false });
  });

  it('names a row edited with every later hash and the head recomputed', async () => {
    const cp = await checkpointNow();
    const signed = await headOf('cam-a/0');
    await asSuperuser(async (sql) => {
      let previous = GENESIS_HASH;
      for (const row of await chainRows('cam-a/0')) {
        const seq = BigInt(row.chain_seq);
        const edited = seq === 4n ? { ...row, payload: { ...row.payload, speed: 59 } } : row;
        const content = contentHashOf(edited);
        previous = chainLink(seq, previous, content);
        await sql('UPDATE ledger_event SET payload = $2, content_hash = $3, chain_hash = $4 WHERE id = $1', [row.id, edited.payload, content, previous]);
      }
      await sql(`UPDATE ledger_chain SET head_hash = $1 WHERE chain_id = 'cam-a/0'`, [previous]);
    });
    const forged = await headOf('cam-a/0');
    expect(forged.hash).not.toBe(signed.hash);

    const report = await verifier.verify();
    expect(report.ok).toBe(false);
    // The rows alone still chain: only the checkpoint tells.
    expect(report.failures).toEqual([
      expect.objectContaining({ kind: 'checkpoint_hash_mismatch', chainId: 'cam-a/0', seq: '10', signedHash: signed.hash, foundHash: forged.hash, checkpoint: ref(cp) }),
    ]);
  });

  it('names the last row deleted and the head moved back', async () => {
    const cp = await checkpointNow();
    const signed = await headOf('cam-b/0');
    await asSuperuser(async (sql) => {
      const [fourth] = await sql(`SELECT chain_hash FROM ledger_event WHERE chain_id = 'cam-b/0' AND chain_seq = 4`);
      await sql(`DELETE FROM ledger_event WHERE chain_id = 'cam-b/0' AND chain_seq = 5`);
      await sql(`UPDATE ledger_chain SET head_seq = 4, head_hash = $1 WHERE chain_id = 'cam-b/0'`, [fourth?.chain_hash]);
    });
    const report = await verifier.verify();
    expect(report.ok).toBe(false);
    expect(report.failures).toEqual([
      expect.objectContaining({ kind: 'head_behind_checkpoint', chainId: 'cam-b/0', seq: '5', signedHash: signed.hash, foundHash: null, checkpoint: ref(cp) }),
    ]);
  });

  it('names a row appended with valid hashes where a checkpoint signed another', async () => {
    const cp = await checkpointNow();
    const signed = await headOf('cam-b/0');
    await asSuperuser(async (sql) => {
      const [last] = await sql(`SELECT ${LEDGER_EVENT_COLUMNS} FROM ledger_event WHERE chain_id = 'cam-b/0' AND chain_seq = 5`);
      const [fourth] = await sql(`SELECT chain_hash FROM ledger_event WHERE chain_id = 'cam-b/0' AND chain_seq = 4`);
      if (last === undefined || fourth === undefined) throw new Error('the chain is shorter than the test expects');
      await sql('DELETE FROM ledger_event WHERE id = $1', [last.id]);
      // A cancellation in its place, hashed and linked exactly as the writer would.
      const forged = { ...last, event_id: 'forged-cancel', type: 'cancelled', actor_kind: 'officer', actor_id: 'O-1', payload: { reasonCode: 'other' } };
      const content = contentHashOf(forged);
      const link = chainLink(5n, fourth.chain_hash, content);
      await sql(
        `INSERT INTO ledger_event (chain_id, chain_seq, source, event_id, violation_ref, type, occurred_at, actor_kind, actor_id, payload, content_hash, chain_hash)
         VALUES ('cam-b/0', 5, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [forged.source, forged.event_id, forged.violation_ref, forged.type, forged.occurred_at, forged.actor_kind, forged.actor_id, forged.payload, content, link],
      );
      await sql(`UPDATE ledger_chain SET head_hash = $1 WHERE chain_id = 'cam-b/0'`, [link]);
    });
    const forged = await headOf('cam-b/0');
    const report = await verifier.verify();
    expect(report.ok).toBe(false);
    expect(report.failures).toEqual([
      expect.objectContaining({ kind: 'checkpoint_hash_mismatch', chainId: 'cam-b/0', seq: '5', signedHash: signed.hash, foundHash: forged.hash, checkpoint: ref(cp) }),
    ]);
  });

  it('names a chain that vanished, rows and head alike', async () => {
    const cp = await checkpointNow();
    const signed = await headOf('cam-b/0');
    await asSuperuser(async (sql) => {
      await sql(`DELETE FROM ledger_event WHERE chain_id = 'cam-b/0'`);
      await sql(`DELETE FROM ledger_chain WHERE chain_id = 'cam-b/0'`);
    });
    const report = await verifier.verify();
    expect(report.failures).toEqual([expect.objectContaining({ kind: 'head_behind_checkpoint', chainId: 'cam-b/0', seq: '5', signedHash: signed.hash, foundHash: null, checkpoint: ref(cp) })]);
  });

  it('names a rewrite once, by the first checkpoint that signed the position, and bounds where it lies', async () => {
    const first = await checkpointNow();
    await writer.write(events('cam-b', 6, 3));
    const second = await checkpointNow();
    // cam-a did not move: both checkpoints signed its position 10.
    const signed = await headOf('cam-a/0');
    await asSuperuser(async (sql) => {
      let previous = (await chainRows('cam-a/0'))[7]?.chain_hash ?? '';
      for (const row of (await chainRows('cam-a/0')).slice(8)) {
        const edited = { ...row, payload: { ...row.payload, speed: 1 } };
        const content = contentHashOf(edited);
        previous = chainLink(BigInt(row.chain_seq), previous, content);
        await sql('UPDATE ledger_event SET payload = $2, content_hash = $3, chain_hash = $4 WHERE id = $1', [row.id, edited.payload, content, previous]);
      }
      await sql(`UPDATE ledger_chain SET head_hash = $1 WHERE chain_id = 'cam-a/0'`, [previous]);
    });
    const report = await verifier.verify();
    expect(report.failures).toHaveLength(1);
    expect(report.failures[0]).toMatchObject({ kind: 'checkpoint_hash_mismatch', chainId: 'cam-a/0', seq: '10', signedHash: signed.hash, checkpoint: ref(first) });
    expect(report.failures[0]?.message).toContain(`checkpoint ${second.id}`);
  });

  it('names checkpoints kept elsewhere that the database no longer holds, and still compares the rows with them', async () => {
    const cp = await checkpointNow();
    const signed = await headOf('cam-b/0');
    await asSuperuser(async (sql) => {
      await sql('DELETE FROM ledger_checkpoint WHERE id = $1', [cp.id]);
      const [fourth] = await sql(`SELECT chain_hash FROM ledger_event WHERE chain_id = 'cam-b/0' AND chain_seq = 4`);
      await sql(`DELETE FROM ledger_event WHERE chain_id = 'cam-b/0' AND chain_seq = 5`);
      await sql(`UPDATE ledger_chain SET head_seq = 4, head_hash = $1 WHERE chain_id = 'cam-b/0'`, [fourth?.chain_hash]);
    });
    expect((await verifier.verify()).ok).toBe(true);
    const report = await verifier.verify({ checkpoints: { external: [cp] } });
    expect(report.ok).toBe(false);
    const origin = { id: cp.id, at: cp.at, origin: 'file' };
    expect(report.failures).toEqual([
      expect.objectContaining({ kind: 'checkpoint_missing_from_database', chainId: null, seq: null, checkpoint: origin }),
      expect.objectContaining({ kind: 'head_behind_checkpoint', chainId: 'cam-b/0', seq: '5', signedHash: signed.hash, foundHash: null, checkpoint: origin }),
    ]);
    expect(report.checkpoints).toEqual({ checked: 1, fromFile: 1, signaturesChecked: false });
  });

  it('names a checkpoint the database holds in another form than the copy kept elsewhere', async () => {
    const cp = await checkpointNow();
    const altered = { ...cp, ledgerHeads: cp.ledgerHeads.map((h) => ({ ...h, hash: 'f'.repeat(64) })) };
    const report = await verifier.verify({ checkpoints: { external: [altered] } });
    expect(report.failures).toContainEqual(expect.objectContaining({ kind: 'checkpoint_altered', checkpoint: { id: cp.id, at: cp.at, origin: 'database' } }));
  });

  it('names a checkpoint whose signature does not verify, and leaves its heads out', async () => {
    const cp = await checkpointNow();
    const report = await verifier.verify({ checkpoints: { signature: (c) => (c.id === cp.id ? { ok: false, reason: 'the signature does not match' } : { ok: true }) } });
    expect(report.failures).toEqual([expect.objectContaining({ kind: 'checkpoint_signature_invalid', checkpoint: ref(cp), message: expect.stringContaining('the signature does not match') })]);
    expect(report.checkpoints).toEqual({ checked: 1, fromFile: 0, signaturesChecked: true });
  });
});
