import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { IngestResponse } from '@qadaga/contracts';
import { createPool } from '@qadaga/db';
import { resetLedger, testDatabaseUrl } from '@qadaga/db/testing';
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

/** A body the pipeline must take as a batch; its answer. */
async function ingestBatch(body: string | Uint8Array, maxEvents: number): Promise<IngestResponse> {
  const answer = await threaded.ingestJsonText(body, { allowedSource: 'cam', maxEvents });
  if ('notABatch' in answer) throw new Error(`not taken as a batch: ${answer.notABatch.slice(0, 80)}`);
  if ('notText' in answer) throw new Error(`not taken as text: ${answer.notText}`);
  return answer;
}

beforeEach(async () => resetLedger(pool));
afterAll(async () => {
  await threaded.close();
  await pool.end();
});

describe('IngestPipeline with worker threads', () => {
  it('answers a JSON array text event by event, as the in-thread path answers the same events', async () => {
    const batch = [detection(1), { ...detection(2), type: 'vanished' }, detection(1), detection(3), { ...detection(3), payload: { article: '592', speed: 'fast' } }];
    const viaThreads = await ingestBatch(JSON.stringify(batch), 10);
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

  it('takes a body as UTF-8 bytes, Kazakh and Russian text included, and stores the rows the text path stores', async () => {
    const batch = [1, 2, 3].map((i) => ({ ...detection(i), eventId: `оқиға-${i}`, violationRef: `Н-${i % 2}`, actor: { kind: 'camera', id: 'Камера №1', unit: 'Әуезов' } }));
    const stored = async () =>
      (await pool.query<{ event_id: string; actor_id: string; actor_unit: string; content_hash: string }>('SELECT event_id, actor_id, actor_unit, content_hash FROM ledger_event ORDER BY event_id')).rows;
    // Bytes that own their buffer are moved to the ingest thread, not copied.
    const owned = new Uint8Array(Buffer.from(JSON.stringify(batch)));
    const asBytes = await ingestBatch(owned, 10);
    expect(owned.byteLength).toBe(0);
    expect(asBytes?.summary).toMatchObject({ accepted: 3, violations: 2 });
    const fromBytes = await stored();
    expect(fromBytes.map((r) => [r.event_id, r.actor_id, r.actor_unit])).toEqual(batch.map((e) => [e.eventId, 'Камера №1', 'Әуезов']));

    await resetLedger(pool);
    const asText = await ingestBatch(JSON.stringify(batch), 10);
    expect(asText).toEqual(asBytes);
    expect(await stored()).toEqual(fromBytes);

    // A view into a larger buffer (Node's pool of small buffers) is copied, and stays whole.
    await resetLedger(pool);
    const pooled = Buffer.from(JSON.stringify(batch));
    expect(pooled.byteLength).toBeLessThan(pooled.buffer.byteLength);
    expect(await ingestBatch(pooled, 10)).toEqual(asBytes);
    expect(JSON.parse(pooled.toString('utf8'))).toEqual(batch);
  });

  it('hands back to the caller as text, writing nothing, a body that is not a plain array of events within the limit', async () => {
    const opts = { allowedSource: 'cam', maxEvents: 2 };
    for (const text of ['', '{not json', JSON.stringify(detection(1)), '[]', JSON.stringify([detection(1), detection(2), detection(3)])]) {
      expect(await threaded.ingestJsonText(Buffer.from(text), opts), text).toEqual({ notABatch: text });
    }
    const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM ledger_event');
    expect(rows[0]?.n).toBe('0');
  });

  it('takes a __proto__ key as the plain data JSON.parse makes of it, refused by its path', async () => {
    const body = `[${JSON.stringify(detection(1)).replace('"payload"', '"__proto__":{"x":1},"payload"')}]`;
    const answer = await ingestBatch(body, 2);
    expect(answer.results[0]).toMatchObject({ status: 'rejected', reasons: [{ path: '__proto__', message: 'unknown field' }] });
  });

  it('answers bytes that are not UTF-8 with where they fail, writing nothing', async () => {
    const [head, tail] = JSON.stringify([detection(1)]).split('"e-1"');
    const body = Buffer.concat([Buffer.from(`${head as string}"e-`), Buffer.from([0xff]), Buffer.from(`"${tail as string}`)]);
    const answer = await threaded.ingestJsonText(body, { allowedSource: 'cam', maxEvents: 2 });
    expect(answer).toEqual({ notText: expect.stringMatching(/not valid UTF-8: byte 0xFF at offset \d+/u) });
    const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM ledger_event');
    expect(rows[0]?.n).toBe('0');
  });

  it('parses NDJSON lines where they are validated, refusing one nested too deep before parsing it', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const answer = await threaded.ingest(
      [
        { index: 0, json: JSON.stringify(detection(1)) },
        { index: 1, json: deep },
        { index: 2, json: '{not json' },
      ],
      { allowedSource: 'cam' },
    );
    expect(answer.results.map((r) => r.status)).toEqual(['accepted', 'rejected', 'rejected']);
    expect(answer.results[1]).toMatchObject({ reasons: [{ path: '(event)', message: 'line 2 nests deeper than 32 levels' }] });
    expect(answer.results[2]).toMatchObject({ reasons: [{ path: '(event)', message: expect.stringMatching(/^line 3 is not valid JSON/u) }] });
  });
});

describe('bounded write transactions', () => {
  it('runs at most maxConcurrentWrites transactions at once and answers every request', async () => {
    let active = 0;
    let most = 0;
    class CountingWriter extends LedgerWriter {
      override async writePrepared(batch: Parameters<LedgerWriter['writePrepared']>[0]): ReturnType<LedgerWriter['writePrepared']> {
        active += 1;
        most = Math.max(most, active);
        try {
          return await super.writePrepared(batch);
        } finally {
          active -= 1;
        }
      }
    }
    const bounded = new IngestPipeline(new CountingWriter(pool), { threads: 1, maxConcurrentWrites: 2 });
    try {
      const bodies = Array.from({ length: 8 }, (_, b) => JSON.stringify(Array.from({ length: 50 }, (_, i) => ({ ...detection(b * 100 + i), violationRef: `W-${b}-${i % 7}` }))));
      const answers = await Promise.all(bodies.map((body) => bounded.ingestJsonText(body, { allowedSource: 'cam', maxEvents: 100 })));
      expect(answers.map((a) => ('summary' in a ? a.summary.accepted : -1))).toEqual(Array(8).fill(50));
      expect(most).toBe(2);
      const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM ledger_event');
      expect(rows[0]?.n).toBe('400');
    } finally {
      await bounded.close();
    }
  });
});

describe('appending without looking events up first', () => {
  it('answers a re-sent batch, and a batch mixing stored and new events, as duplicates and appends only the new ones, chains unbroken', async () => {
    const first = Array.from({ length: 20 }, (_, i) => detection(i));
    const res1 = await ingestBatch(JSON.stringify(first), 100);
    expect(res1?.summary.accepted).toBe(20);
    const again = await ingestBatch(JSON.stringify(first), 100);
    expect(again?.summary).toMatchObject({ accepted: 0, duplicates: 20 });
    const mixed = [...first.slice(10), ...Array.from({ length: 10 }, (_, i) => detection(100 + i)), { ...detection(3), payload: { article: '592', speed: 1 } }];
    const res3 = await ingestBatch(JSON.stringify(mixed), 100);
    expect(res3?.summary).toMatchObject({ accepted: 10, duplicates: 10, rejected: 1 });
    // Once the ledger holds none of a batch again, it is appended straight away.
    const fresh = await ingestBatch(JSON.stringify(Array.from({ length: 5 }, (_, i) => detection(200 + i))), 100);
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
