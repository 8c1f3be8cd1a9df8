import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { LifecycleEvent } from '@qadaga/domain';
import { createPool } from '@qadaga/db';
import { resetLedger, testDatabaseUrl } from '@qadaga/db/testing';
import { prepareEvent } from './ingest-check.js';
import { IngestPipeline } from './ingest-pipeline.js';
import { LedgerWriter, type IndexedEvent } from './ledger-writer.js';
import { projectBatch, reprojectViolations } from './violation-projection.js';

const pool = createPool({ url: testDatabaseUrl(), size: 6 });
const writer = new LedgerWriter(pool);
const threaded = new IngestPipeline(writer, { threads: 1 });
const inThread = new IngestPipeline(writer);

beforeEach(async () => resetLedger(pool));
afterAll(async () => {
  await threaded.close();
  await pool.end();
});

let minute = 0;
/** A valid event; `at` is the minute it occurred (so order in the batch and in time can differ). */
function ev(ref: string, id: string, type: LifecycleEvent['type'], at: number, extra: { source?: string; payload?: object; actor?: object; unrecorded?: boolean } = {}): LifecycleEvent {
  const payloads: Partial<Record<LifecycleEvent['type'], object>> = {
    detected: { article: '592', plate: '123ABC02', fine: { amount: 10000 }, place: { lat: 43.2, lon: 76.9, district: 'Medeu' } },
    confirmed: {},
    notice_issued: { noticeNumber: `N-${id}` },
    paid: { amount: 4000 },
    cancelled: { reasonCode: 'error' },
    appealed: {},
    appeal_decided: { outcome: 'reduced', amount: 5000 },
  };
  const actors: Partial<Record<LifecycleEvent['type'], object>> = {
    detected: { kind: 'camera', id: 'CAM-1' },
    confirmed: { kind: 'officer', id: 'OF-7', unit: 'U1' },
    paid: { kind: 'treasury', id: 'KZT' },
  };
  minute += 1;
  const event = {
    source: extra.source ?? 'cam',
    eventId: id,
    violationRef: ref,
    type,
    occurredAt: new Date(Date.UTC(2026, 0, 1, 8, at)).toISOString(),
    actor: extra.actor ?? actors[type] ?? { kind: 'system', id: 'SYS' },
    payload: extra.payload ?? payloads[type] ?? {},
  } as LifecycleEvent;
  if (extra.unrecorded !== true) event.recordedAt = new Date(Date.UTC(2026, 0, 2, 0, minute)).toISOString();
  return event;
}

/** The read model as stored, but for the time of the last write. */
async function violations(): Promise<Record<string, unknown>[]> {
  const { rows } = await pool.query<Record<string, unknown>>('SELECT * FROM violation ORDER BY ref');
  return rows.map(({ updated_at: _, ...rest }) => rest);
}

/** What folding every stored event of every violation again gives. */
async function rederivedFromLedger(): Promise<Record<string, unknown>[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ ref: string }>('SELECT DISTINCT violation_ref AS ref FROM ledger_event');
    await reprojectViolations(
      client,
      rows.map((r) => r.ref),
    );
    const again = await client.query<Record<string, unknown>>('SELECT * FROM violation ORDER BY ref');
    return again.rows.map(({ updated_at: _, ...rest }) => rest);
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

describe('projection rows derived with the request', () => {
  it('equal a fold of the stored timelines: late and out-of-order events, duplicates, conflicts, known violations, several sources', async () => {
    for (const pipeline of [threaded, inThread]) {
      await resetLedger(pool);
      const v2det = ev('V-2', 'v2-det', 'detected', 1);
      const first = [
        // Arrives in the wrong order; two steps at the same instant keep the batch's order.
        ev('V-1', 'v1-pay', 'paid', 30),
        ev('V-1', 'v1-det', 'detected', 0),
        ev('V-1', 'v1-conf', 'confirmed', 10, { unrecorded: true }),
        ev('V-1', 'v1-notice', 'notice_issued', 10, { unrecorded: true }),
        // The same event twice, and the same id with other content (a conflict).
        v2det,
        v2det,
        ev('V-2', 'v2-conf', 'confirmed', 5),
        ev('V-2', 'v2-conf', 'confirmed', 6),
        // Two sources for one violation in one request.
        ev('V-3', 'v3-det', 'detected', 2),
        ev('V-3', 'v3-pay', 'paid', 40, { source: 'bank' }),
        // An impossible sequence (paid after cancelled) and an invalid event beside it.
        ev('V-4', 'v4-det', 'detected', 3),
        ev('V-4', 'v4-cancel', 'cancelled', 4),
        ev('V-4', 'v4-pay', 'paid', 50),
        { ...ev('V-4', 'v4-bad', 'paid', 51), payload: { amount: 'lots' } } as unknown as LifecycleEvent,
        // A violation whose detection is late: it arrives with the next request.
        ev('V-5', 'v5-conf', 'confirmed', 20),
      ];
      const res1 = await pipeline.ingest(
        first.map((value, index) => ({ index, value })),
        { allowedSource: null },
      );
      expect(res1.summary).toEqual({ accepted: 12, duplicates: 1, rejected: 2, violations: 6 });
      expect(await violations()).toEqual(await rederivedFromLedger());

      const second = [
        ev('V-5', 'v5-det', 'detected', 0),
        ev('V-1', 'v1-appeal', 'appealed', 35),
        ev('V-1', 'v1-decided', 'appeal_decided', 36),
        // Known already: answered as a duplicate, which makes the writer look events up.
        v2det,
        ev('V-2', 'v2-pay', 'paid', 7),
        ev('V-6', 'v6-det', 'detected', 9),
        ev('V-6', 'v6-pay', 'paid', 8, { source: 'bank' }),
      ];
      const res2 = await pipeline.ingest(
        second.map((value, index) => ({ index, value })),
        { allowedSource: null },
      );
      expect(res2.summary).toMatchObject({ accepted: 6, duplicates: 1, rejected: 0 });
      const projected = await violations();
      expect(projected).toEqual(await rederivedFromLedger());
      // Every valid event of every violation is folded, impossible steps as anomalies.
      expect(projected.map((v) => [v['ref'], v['event_count'], v['anomaly_count']])).toEqual([
        ['V-1', 6, 1],
        ['V-2', 3, 0],
        ['V-3', 2, 1],
        ['V-4', 3, 1],
        ['V-5', 2, 0],
        ['V-6', 2, 2],
      ]);
    }
  });

  it('are taken exactly where they fold the whole timeline; elsewhere the writer folds the stored rows', async () => {
    await writer.write([{ index: 0, event: ev('OLD', 'old-det', 'detected', 0) }]);
    const dup = ev('DUP', 'dup-det', 'detected', 0);
    const events: IndexedEvent[] = [
      ev('NEW', 'new-det', 'detected', 0),
      ev('NEW', 'new-conf', 'confirmed', 1),
      dup,
      dup,
      ev('OLD', 'old-conf', 'confirmed', 1),
      ev('TWO', 'two-det', 'detected', 0),
      ev('TWO', 'two-pay', 'paid', 1, { source: 'bank' }),
    ].map((event, index) => ({ index, event }));
    // Drafts marked so that where one is used shows in the stored row.
    const projections = projectBatch(events).map((p) => ({ ...p, row: JSON.stringify({ ...(JSON.parse(p.row) as object), status: 'drafted' }) }));
    await writer.writePrepared({ events: events.map((e) => prepareEvent(e.index, e.event)), projections });
    const stored = await violations();
    expect(Object.fromEntries(stored.map((v) => [v['ref'], v['status']]))).toEqual({ NEW: 'drafted', DUP: 'drafted', OLD: 'confirmed', TWO: 'detected' });
  });
});
