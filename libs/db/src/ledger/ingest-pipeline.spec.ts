import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createPool } from '../pool.js';
import { resetLedger, testDatabaseUrl } from '../testing/test-database.js';
import { IngestPipeline } from './ingest-pipeline.js';
import { LedgerWriter } from './ledger-writer.js';

const pool = createPool({ url: testDatabaseUrl(), size: 6 });
const threaded = new IngestPipeline(new LedgerWriter(pool), { threads: 1 });
const inThread = new IngestPipeline(new LedgerWriter(pool));

const detection = (i: number, speed = 80) => ({
  source: 'cam',
  eventId: `e-${i}`,
  violationRef: `V-${i % 3}`,
  type: 'detected',
  occurredAt: `2026-01-01T0${i % 10}:00:00+05:00`,
  actor: { kind: 'camera', id: 'C1' },
  payload: { article: '592', plate: '123ABC02', speed },
});

beforeEach(async () => resetLedger(pool));
afterAll(async () => {
  await threaded.close();
  await pool.end();
});

describe('IngestPipeline with worker threads', () => {
  it('answers a JSON array text event by event, as the in-thread path answers the same events', async () => {
    const batch = [detection(1), { ...detection(2), type: 'vanished' }, detection(1), detection(3), { ...detection(3), payload: { article: '592', speed: 'fast' } }];
    const viaThreads = await threaded.ingestJsonText(JSON.stringify(batch), { allowedSource: 'cam', maxEvents: 10 });
    expect(viaThreads?.summary).toEqual({ accepted: 2, duplicates: 1, rejected: 2, violations: 2 });
    expect(viaThreads?.results.map((r) => r.status)).toEqual(['accepted', 'rejected', 'duplicate', 'accepted', 'rejected']);
    expect(viaThreads?.results[4]).toMatchObject({ reasons: [{ path: 'payload.speed' }] });

    await resetLedger(pool);
    const direct = await inThread.ingest(
      batch.map((value, index) => ({ index, value })),
      { allowedSource: 'cam' },
    );
    expect(viaThreads).toEqual(direct);
  });

  it('refuses another source and records a conflict, as items handed over already parsed', async () => {
    await threaded.ingest([{ index: 0, value: detection(5) }], { allowedSource: null });
    const res = await threaded.ingest(
      [
        { index: 0, value: detection(5, 99) },
        { index: 1, value: { ...detection(6), source: 'other' } },
        { index: 2, parseError: 'line 3 is not valid JSON' },
      ],
      { allowedSource: 'cam' },
    );
    expect(res.results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(res.results[0]).toMatchObject({ reasons: [{ path: 'eventId' }] });
    expect(res.results[1]).toMatchObject({ reasons: [{ path: 'source' }] });
    const { rows } = await pool.query<{ n: string }>("SELECT count(*) AS n FROM ingest_conflict WHERE event_id = 'e-5'");
    expect(rows[0]?.n).toBe('1');
  });

  it('leaves to the caller, writing nothing, a text that is not a plain array of events within the limit', async () => {
    const opts = { allowedSource: 'cam', maxEvents: 2 };
    for (const text of ['', '{not json', JSON.stringify(detection(1)), '[]', JSON.stringify([detection(1), detection(2), detection(3)]), '[{"__proto__": {"x": 1}}]']) {
      expect(await threaded.ingestJsonText(text, opts), text).toBeUndefined();
    }
    const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM ledger_event');
    expect(rows[0]?.n).toBe('0');
  });
});

describe('appending without looking events up first', () => {
  it('answers a re-sent batch, and a batch mixing stored and new events, as duplicates and appends only the new ones, chains unbroken', async () => {
    const first = Array.from({ length: 20 }, (_, i) => detection(i));
    const res1 = await threaded.ingestJsonText(JSON.stringify(first), { allowedSource: 'cam', maxEvents: 100 });
    expect(res1?.summary.accepted).toBe(20);
    const again = await threaded.ingestJsonText(JSON.stringify(first), { allowedSource: 'cam', maxEvents: 100 });
    expect(again?.summary).toMatchObject({ accepted: 0, duplicates: 20 });
    const mixed = [...first.slice(10), ...Array.from({ length: 10 }, (_, i) => detection(100 + i)), { ...detection(3), payload: { article: '592', speed: 1 } }];
    const res3 = await threaded.ingestJsonText(JSON.stringify(mixed), { allowedSource: 'cam', maxEvents: 100 });
    expect(res3?.summary).toMatchObject({ accepted: 10, duplicates: 10, rejected: 1 });
    // Once the ledger holds none of a batch again, it is appended straight away.
    const fresh = await threaded.ingestJsonText(JSON.stringify(Array.from({ length: 5 }, (_, i) => detection(200 + i))), { allowedSource: 'cam', maxEvents: 100 });
    expect(fresh?.summary.accepted).toBe(5);
    const { rows } = await pool.query<{ chain_id: string; n: string; max: string; head_seq: string }>(
      `SELECT e.chain_id, count(*) AS n, max(e.chain_seq) AS max, c.head_seq
       FROM ledger_event e JOIN ledger_chain c USING (chain_id) GROUP BY e.chain_id, c.head_seq`,
    );
    expect(rows.reduce((sum, r) => sum + Number(r.n), 0)).toBe(35);
    for (const r of rows) expect([r.n, r.max]).toEqual([r.head_seq, r.head_seq]);
    const conflicts = await pool.query<{ n: string }>("SELECT count(*) AS n FROM ingest_conflict WHERE event_id = 'e-3'");
    expect(conflicts.rows[0]?.n).toBe('1');
  });
});
