import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { LifecycleEvent } from '@qadaga/domain';
import { canonicalEventForm, chainLink, GENESIS_HASH, sha256Hex } from '@qadaga/domain/hashing';
import { AccessLogRepository, CheckpointRepository, IntegrityAlarmRepository, createPool } from '@qadaga/db';
import { LEDGER_EVENT_COLUMNS, LedgerWriter, rowToEvent, type LedgerEventRow } from '@qadaga/ledger';
import { asSuperuser as asSuperuserOn, resetLedger, testDatabaseUrl, type SuperuserSql } from '@qadaga/db/testing';
import { KeyRing, generateSigningKey, signCheckpoint, verifyCheckpoint } from '@qadaga/evidence';
import { CheckpointSigner } from './checkpoint-signer.js';

/**
 * The signer against a database superuser without the signing key: it must not seal a
 * rewrite with a new signature, and must leave a record a person will find.
 */
const pool = createPool({ url: testDatabaseUrl(), size: 4 });
const writer = new LedgerWriter(pool);
const checkpoints = new CheckpointRepository(pool);
const alarms = new IntegrityAlarmRepository(pool);
const key = generateSigningKey();
const ring = KeyRing.of(key);
let signer: CheckpointSigner;

function events(source: string, from: number, n: number): { index: number; event: LifecycleEvent }[] {
  return Array.from({ length: n }, (_, k) => ({
    index: k,
    event: {
      source,
      eventId: `${source}-${from + k}`,
      violationRef: `${source}-V${from + k}`,
      type: 'detected',
      occurredAt: new Date(Date.UTC(2026, 0, 1, 0, from + k)).toISOString(),
      actor: { kind: 'camera', id: 'C1' },
      payload: { article: '592', plate: '123ABC02', speed: 80 + k },
    } as LifecycleEvent,
  }));
}

const asSuperuser = (work: (sql: SuperuserSql<LedgerEventRow>) => Promise<void>) => asSuperuserOn<LedgerEventRow>(pool, work);

/** Rewrites position `seq` of a chain and every later link and the head, as a careful attacker would. */
async function rewriteFrom(chainId: string, seq: bigint): Promise<string> {
  let previous = GENESIS_HASH;
  await asSuperuser(async (sql) => {
    for (const row of await sql(`SELECT ${LEDGER_EVENT_COLUMNS} FROM ledger_event WHERE chain_id = $1 ORDER BY chain_seq`, [chainId])) {
      const at = BigInt(row.chain_seq);
      const edited = at === seq ? { ...row, payload: { ...row.payload, speed: 59 } } : row;
      const content = sha256Hex(canonicalEventForm(rowToEvent(edited)));
      previous = chainLink(at, previous, content);
      await sql('UPDATE ledger_event SET payload = $2, content_hash = $3, chain_hash = $4 WHERE id = $1', [row.id, edited.payload, content, previous]);
    }
    await sql('UPDATE ledger_chain SET head_hash = $2 WHERE chain_id = $1', [chainId, previous]);
  });
  return previous;
}

async function checkpointCount(): Promise<number> {
  return Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM ledger_checkpoint')).rows[0]?.n);
}

beforeEach(async () => {
  await resetLedger(pool);
  signer = new CheckpointSigner(pool, ring, [key.keyId]);
  await writer.write(events('cam-a', 1, 6));
  await writer.write(events('cam-b', 1, 4));
});
afterAll(async () => pool.end());

describe('the checkpoint signer', () => {
  it('signs heads that extend the last checkpoint, recomputing only the rows written since', async () => {
    const first = await signer.sign();
    expect(first).toMatchObject({ rowsChecked: 10 });
    expect(await signer.sign()).toEqual({ skipped: true });
    await writer.write(events('cam-a', 7, 3));
    await new AccessLogRepository(pool).record({ principal: 'user:a', roles: ['auditor'], action: 'view_case', subjectKind: 'case', subjectId: 'C-1' });
    const second = await signer.sign();
    // Three ledger rows and one access record: nothing before the first checkpoint is read again.
    expect(second).toMatchObject({ rowsChecked: 4 });
    const latest = await checkpoints.latest();
    expect(latest?.id).toBe((second as { id: string }).id);
    expect(verifyCheckpoint(latest as NonNullable<typeof latest>, { trustedKeys: [key.keyId] })).toEqual({ ok: true });
    expect(await alarms.since(new Date(0))).toEqual([]);
  });

  it('refuses to sign a forged head and raises an alarm naming the chain, position and hashes', async () => {
    await signer.sign();
    const signed = (await checkpoints.latest())?.ledgerHeads.find((h) => h.chainId === 'cam-a/0');
    const forged = await rewriteFrom('cam-a/0', 3n);
    await writer.write(events('cam-a', 7, 1));

    const outcome = await signer.sign();
    expect(outcome).toMatchObject({ refused: true, alarm: { kind: 'checkpoint_not_extended', checkpointId: '1' } });
    expect(await checkpointCount()).toBe(1);
    const [alarm] = await alarms.since(new Date(0));
    expect(alarm?.failures).toEqual([
      expect.objectContaining({ log: 'ledger', kind: 'checkpoint_hash_mismatch', chain: 'cam-a/0', seq: '6', signedHash: signed?.hash, foundHash: forged }),
    ]);
    expect(alarm?.message).toMatch(/no longer extend checkpoint 1/u);
    // The record stays: the alarm table is append-only.
    await expect(pool.query('DELETE FROM integrity_alarm')).rejects.toThrow(/append-only/u);
    // And the refusal holds on the next interval too.
    expect(await signer.sign()).toMatchObject({ refused: true });
    expect(await checkpointCount()).toBe(1);
  });

  it('refuses when the last row was deleted and the head moved back', async () => {
    await signer.sign();
    await asSuperuser(async (sql) => {
      const [third] = await sql(`SELECT chain_hash FROM ledger_event WHERE chain_id = 'cam-b/0' AND chain_seq = 3`);
      await sql(`DELETE FROM ledger_event WHERE chain_id = 'cam-b/0' AND chain_seq = 4`);
      await sql(`UPDATE ledger_chain SET head_seq = 3, head_hash = $1 WHERE chain_id = 'cam-b/0'`, [third?.chain_hash]);
    });
    const outcome = await signer.sign();
    expect(outcome).toMatchObject({ refused: true });
    expect((outcome as { alarm: { failures: unknown[] } }).alarm.failures).toEqual([expect.objectContaining({ kind: 'head_behind_checkpoint', chain: 'cam-b/0', seq: '4', foundHash: null })]);
  });

  it('refuses when only the head record was changed, with no row touched', async () => {
    await signer.sign();
    await asSuperuser(async (sql) => {
      await sql(`UPDATE ledger_chain SET head_hash = $1 WHERE chain_id = 'cam-b/0'`, ['f'.repeat(64)]);
    });
    const outcome = await signer.sign();
    expect((outcome as { alarm: { failures: unknown[] } }).alarm.failures).toEqual([expect.objectContaining({ log: 'ledger', kind: 'head_mismatch', chain: 'cam-b/0', seq: '4', foundHash: 'f'.repeat(64) })]);
    expect(await checkpointCount()).toBe(1);
  });

  it('refuses when a row written since the last checkpoint breaks its link', async () => {
    await signer.sign();
    await writer.write(events('cam-b', 5, 3));
    await asSuperuser(async (sql) => {
      await sql(`UPDATE ledger_event SET payload = jsonb_set(payload, '{speed}', '1') WHERE chain_id = 'cam-b/0' AND chain_seq = 6`);
    });
    const outcome = await signer.sign();
    expect((outcome as { alarm: { failures: unknown[] } }).alarm.failures).toEqual([expect.objectContaining({ log: 'ledger', kind: 'content_edited', chain: 'cam-b/0', seq: '6' })]);
  });

  it('refuses when an access-log lane was rewritten', async () => {
    const log = new AccessLogRepository(pool);
    for (let i = 0; i < 8; i++) await log.record({ principal: 'user:a', roles: ['auditor'], action: 'view_case', subjectKind: 'case', subjectId: `C-${i}` });
    await signer.sign();
    const { rows } = await pool.query<{ lane: number; seq: string }>('SELECT lane, seq FROM access_log ORDER BY lane, seq DESC LIMIT 1');
    const last = rows[0] as { lane: number; seq: string };
    await asSuperuser(async (sql) => {
      await sql('DELETE FROM access_log WHERE lane = $1 AND seq = $2', [last.lane, last.seq]);
      await sql('UPDATE access_log_chain SET head_seq = head_seq - 1 WHERE lane = $1', [last.lane]);
    });
    const outcome = await signer.sign();
    expect((outcome as { alarm: { failures: unknown[] } }).alarm.failures).toContainEqual(expect.objectContaining({ log: 'access_log', kind: 'head_behind_checkpoint', chain: String(last.lane), seq: last.seq }));
  });

  it('refuses to extend a checkpoint not signed by a trusted key', async () => {
    const heads = await checkpoints.currentHeads();
    const stranger = signCheckpoint({ at: new Date().toISOString(), ledgerHeads: heads.ledgerHeads, accessLogHead: { lanes: heads.accessLogLanes } }, KeyRing.of(generateSigningKey()));
    await checkpoints.store(stranger);
    await writer.write(events('cam-a', 7, 1));
    expect(await signer.sign()).toMatchObject({ refused: true, alarm: { kind: 'checkpoint_signature_invalid', checkpointId: '1' } });
    expect(await checkpointCount()).toBe(1);
  });

  it('refuses when a checkpoint it signed is deleted from the database', async () => {
    await signer.sign();
    await asSuperuser(async (sql) => {
      await sql('DELETE FROM ledger_checkpoint');
    });
    expect(await signer.sign()).toMatchObject({ refused: true, alarm: { kind: 'checkpoint_vanished', checkpointId: '1' } });
  });
});
