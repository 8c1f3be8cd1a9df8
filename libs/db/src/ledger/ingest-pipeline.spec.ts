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
