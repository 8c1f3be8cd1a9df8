import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LifecycleEvent } from '@qadaga/domain';
import { canonicalEventForm, sha256Hex } from '@qadaga/domain/hashing';
import { createPool } from '@qadaga/db';
import { rowToEvent } from './ledger-row.js';
import { resetLedger, testDatabaseUrl } from '@qadaga/db/testing';
import { LedgerVerifier } from './ledger-verifier.js';
import { LedgerWriter } from './ledger-writer.js';

const pool = createPool({ url: testDatabaseUrl(), size: 4 });
const writer = new LedgerWriter(pool);
const verifier = new LedgerVerifier(pool);

function events(source: string, n: number): { index: number; event: LifecycleEvent }[] {
  return Array.from({ length: n }, (_, i) => ({
    index: i,
    event: {
      source,
      eventId: `${source}-${i + 1}`,
      violationRef: `${source}-V${Math.floor(i / 2)}`,
      type: 'detected',
      occurredAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
      actor: { kind: 'camera', id: 'C1' },
      payload: { article: '592', plate: '123ABC02', speed: 80 + i },
    } as LifecycleEvent,
  }));
}

/** Tampering as an insider with SQL access would do it: past the append-only trigger. */
async function tamper(sql: string, params: unknown[] = []): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('ALTER TABLE ledger_event DISABLE TRIGGER USER');
    await client.query(sql, params);
    await client.query('ALTER TABLE ledger_event ENABLE TRIGGER USER');
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

beforeAll(async () => resetLedger(pool));
beforeEach(async () => {
  await resetLedger(pool);
  await writer.write(events('cam-a', 10));
  await writer.write(events('cam-b', 5));
});
afterAll(async () => pool.end());

// In the calling thread, in worker threads, and in batches of a few rows so chains span batches.
describe.each([
  { mode: 'default', options: {} },
  { mode: 'two worker threads, small batches', options: { threads: 2, batchBytes: 900 } },
  { mode: 'in process, small batches', options: { threads: 0, batchBytes: 700 } },
])('ledger verification ($mode)', ({ options }) => {
  const verify = () => verifier.verify(options);

  it('passes an untouched ledger and reports each chain', async () => {
    const report = await verify();
    expect(report.ok).toBe(true);
    expect(report.rowsChecked).toBe(15);
    expect(report.chains.map((c) => [c.chainId, c.rows])).toEqual([['cam-a/0', 10], ['cam-b/0', 5]]);
  });

  it('refuses UPDATE and DELETE on ledger rows outright', async () => {
    await expect(pool.query("UPDATE ledger_event SET payload = '{}' WHERE event_id = 'cam-a-1'")).rejects.toThrow(/append-only/u);
    await expect(pool.query("DELETE FROM ledger_event WHERE event_id = 'cam-a-1'")).rejects.toThrow(/append-only/u);
  });

  it('names an edited row', async () => {
    await tamper("UPDATE ledger_event SET payload = jsonb_set(payload, '{speed}', '59') WHERE event_id = 'cam-a-4'");
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.failures).toEqual([expect.objectContaining({ kind: 'content_edited', chainId: 'cam-a/0', seq: '4', eventId: 'cam-a-4' })]);
  });

  it('names an edit whose author also recomputed the content hash', async () => {
    const { rows } = await pool.query("SELECT * FROM ledger_event WHERE event_id = 'cam-b-2'");
    const edited = rowToEvent({ ...rows[0], occurred_at: new Date('2026-02-01T00:00:00Z') });
    await tamper("UPDATE ledger_event SET occurred_at = '2026-02-01T00:00:00Z', content_hash = $1 WHERE event_id = 'cam-b-2'", [sha256Hex(canonicalEventForm(edited))]);
    const report = await verify();
    expect(report.failures).toEqual([expect.objectContaining({ kind: 'link_broken', chainId: 'cam-b/0', seq: '2', eventId: 'cam-b-2' })]);
  });

  it('names a deleted row', async () => {
    await tamper("DELETE FROM ledger_event WHERE event_id = 'cam-a-7'");
    const report = await verify();
    expect(report.failures).toEqual([expect.objectContaining({ kind: 'rows_missing', chainId: 'cam-a/0', seq: '7', eventId: 'cam-a-8' })]);
  });

  it('names deleted rows at the end of a chain', async () => {
    await tamper("DELETE FROM ledger_event WHERE event_id IN ('cam-b-4', 'cam-b-5')");
    const report = await verify();
    expect(report.failures).toEqual([expect.objectContaining({ kind: 'tail_missing', chainId: 'cam-b/0', seq: '4' })]);
  });

  it('names an inserted row, whether it reuses a position or appends one', async () => {
    // Rows appended by hand, around the writer, have no ledger-wide key (ledger_event_key) to refuse them.
    await tamper(
      `INSERT INTO ledger_event (chain_id, chain_seq, source, event_id, violation_ref, type, occurred_at, actor_kind, actor_id, payload, content_hash, chain_hash)
       SELECT chain_id, 3, source, 'forged-1', violation_ref, 'cancelled', occurred_at, 'officer', 'O-1', '{"reasonCode":"other"}', content_hash, chain_hash
       FROM ledger_event WHERE event_id = 'cam-a-3'`,
    );
    await tamper(
      `INSERT INTO ledger_event (chain_id, chain_seq, source, event_id, violation_ref, type, occurred_at, actor_kind, actor_id, payload, content_hash, chain_hash)
       SELECT chain_id, 6, source, 'forged-2', violation_ref, type, occurred_at, actor_kind, actor_id, payload, content_hash, chain_hash
       FROM ledger_event WHERE event_id = 'cam-b-5'`,
    );
    const report = await verify();
    const kinds = report.failures.map((f) => [f.kind, f.eventId ?? f.seq]);
    expect(kinds).toEqual(expect.arrayContaining([['row_inserted', 'forged-1'], ['row_inserted', '6']]));
    await resetLedger(pool);
  });
});
