import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { chainLink } from '@qadaga/domain/hashing';
import { ACCESS_LOG_COLUMNS, AccessLogRepository, CheckpointRepository, accessLogContentHash, createPool, fromDb, type AccessLogDbRow, type StoredCheckpoint } from '@qadaga/db';
import { asSuperuser as asSuperuserOn, resetLedger, testDatabaseUrl, type SuperuserSql } from '@qadaga/db/testing';
import { AccessLogVerifier } from './access-log-verifier.js';

/**
 * The access log against a superuser without the signing key: each rewrite leaves lanes
 * that recompute cleanly from the rows; only the signed checkpoints tell.
 */
const pool = createPool({ url: testDatabaseUrl(), size: 4 });
const checkpoints = new CheckpointRepository(pool);
const verifier = new AccessLogVerifier(pool);

async function checkpointNow(): Promise<StoredCheckpoint> {
  const heads = await checkpoints.currentHeads();
  return checkpoints.store({ at: new Date().toISOString(), ledgerHeads: heads.ledgerHeads, accessLogHead: { lanes: heads.accessLogLanes }, keyId: '0'.repeat(16), publicKey: 'unsigned', signature: 'unsigned' });
}

const asSuperuser = (work: (sql: SuperuserSql<AccessLogDbRow>) => Promise<void>) => asSuperuserOn<AccessLogDbRow>(pool, work);

/** The busiest lane, its rows in order and its head. */
async function busiestLane(): Promise<{ lane: number; rows: AccessLogDbRow[]; head: { seq: string; hash: string } }> {
  const { rows: top } = await pool.query<{ lane: number }>('SELECT lane FROM access_log GROUP BY lane ORDER BY count(*) DESC, lane LIMIT 1');
  const lane = top[0]?.lane ?? 0;
  const { rows } = await pool.query<AccessLogDbRow>(`SELECT ${ACCESS_LOG_COLUMNS} FROM access_log WHERE lane = $1 ORDER BY seq`, [lane]);
  const { rows: head } = await pool.query<{ head_seq: string; head_hash: string }>('SELECT head_seq, head_hash FROM access_log_chain WHERE lane = $1', [lane]);
  return { lane, rows, head: { seq: head[0]?.head_seq ?? '', hash: head[0]?.head_hash ?? '' } };
}

const ref = (cp: StoredCheckpoint) => ({ id: cp.id, at: cp.at, origin: 'database' });

beforeEach(async () => {
  await resetLedger(pool);
  const log = new AccessLogRepository(pool);
  // Forty rows over four lanes leave at least ten in the busiest.
  for (let i = 0; i < 40; i++) await log.record({ principal: 'user:a', roles: ['auditor'], action: 'view_case', subjectKind: 'case', subjectId: `C-${i}` });
});
afterAll(async () => pool.end());

describe('access log verification against signed checkpoints', () => {
  it('passes an access log that extends every checkpoint', async () => {
    await checkpointNow();
    await new AccessLogRepository(pool).record({ principal: 'user:b', roles: ['auditor'], action: 'view_case', subjectKind: 'case', subjectId: 'C-x' });
    const report = await verifier.verify();
    expect(report.failures).toEqual([]);
    expect(report.checkpoints).toEqual({ checked: 1, fromFile: 0, signaturesChecked: false });
  });

  it('names a row edited with every later hash and the head recomputed', async () => {
    const cp = await checkpointNow();
    const { lane, rows, head } = await busiestLane();
    let previous = '';
    await asSuperuser(async (sql) => {
      for (const db of rows) {
        const seq = BigInt(db.seq ?? '0');
        if (seq < 3n) {
          previous = db.chain_hash ?? '';
          continue;
        }
        const edited = seq === 3n ? { ...db, subject_id: 'C-rewritten' } : db;
        const content = accessLogContentHash(fromDb(edited));
        previous = chainLink(seq, previous, content);
        await sql('UPDATE access_log SET subject_id = $2, content_hash = $3, chain_hash = $4 WHERE id = $1', [db.id, edited.subject_id, content, previous]);
      }
      await sql('UPDATE access_log_chain SET head_hash = $2 WHERE lane = $1', [lane, previous]);
    });
    const report = await verifier.verify();
    expect(report.ok).toBe(false);
    expect(report.failures).toEqual([
      expect.objectContaining({ kind: 'checkpoint_hash_mismatch', lane, seq: head.seq, signedHash: head.hash, foundHash: previous, checkpoint: ref(cp) }),
    ]);
  });

  it('names the last row deleted and the head moved back', async () => {
    const cp = await checkpointNow();
    const { lane, rows, head } = await busiestLane();
    const before = rows.at(-2) as AccessLogDbRow;
    await asSuperuser(async (sql) => {
      await sql('DELETE FROM access_log WHERE id = $1', [rows.at(-1)?.id]);
      await sql('UPDATE access_log_chain SET head_seq = $2, head_hash = $3 WHERE lane = $1', [lane, before.seq, before.chain_hash]);
    });
    const report = await verifier.verify();
    expect(report.ok).toBe(false);
    expect(report.failures).toEqual([expect.objectContaining({ kind: 'head_behind_checkpoint', lane, seq: head.seq, signedHash: head.hash, foundHash: null, checkpoint: ref(cp) })]);
  });

  it('names a row appended with valid hashes where a checkpoint signed another', async () => {
    const cp = await checkpointNow();
    const { lane, rows, head } = await busiestLane();
    const last = rows.at(-1) as AccessLogDbRow;
    const before = rows.at(-2) as AccessLogDbRow;
    const forged = { ...last, subject_id: 'C-other', principal: 'user:nobody' };
    const content = accessLogContentHash(fromDb(forged));
    const link = chainLink(BigInt(head.seq), before.chain_hash ?? '', content);
    await asSuperuser(async (sql) => {
      await sql('DELETE FROM access_log WHERE id = $1', [last.id]);
      await sql(
        `INSERT INTO access_log (at, principal, roles, action, subject_kind, subject_id, reason, details, lane, seq, content_hash, chain_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [forged.at, forged.principal, forged.roles, forged.action, forged.subject_kind, forged.subject_id, forged.reason, forged.details, lane, head.seq, content, link],
      );
      await sql('UPDATE access_log_chain SET head_hash = $2 WHERE lane = $1', [lane, link]);
    });
    const report = await verifier.verify();
    expect(report.ok).toBe(false);
    expect(report.failures).toEqual([expect.objectContaining({ kind: 'checkpoint_hash_mismatch', lane, seq: head.seq, signedHash: head.hash, foundHash: link, checkpoint: ref(cp) })]);
  });

  it('names checkpoints kept elsewhere that the database no longer holds', async () => {
    const cp = await checkpointNow();
    await asSuperuser(async (sql) => {
      await sql('DELETE FROM ledger_checkpoint WHERE id = $1', [cp.id]);
    });
    const report = await verifier.verify({ checkpoints: { external: [cp] } });
    expect(report.failures).toEqual([expect.objectContaining({ kind: 'checkpoint_missing_from_database', lane: null, seq: null, checkpoint: { id: cp.id, at: cp.at, origin: 'file' } })]);
  });
});
