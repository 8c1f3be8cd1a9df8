import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { LifecycleEvent } from '@qadaga/domain';
import { createPool } from '@qadaga/db';
import { resetLedger, testDatabaseUrl } from '@qadaga/db/testing';
import { LedgerVerifier } from './ledger-verifier.js';
import { LedgerWriter, type IndexedEvent } from './ledger-writer.js';
import { LEDGER_EVENT_COLUMNS, rowToEvent, type LedgerEventRow } from './ledger-row.js';
import { VIOLATION_LOCK_BUCKETS, reprojectViolations, violationLockBuckets } from './violation-projection.js';

const pool = createPool({ url: testDatabaseUrl(), size: 10 });
const writer = new LedgerWriter(pool);

function detections(from: number, to: number, source = 'cam'): IndexedEvent[] {
  const out: IndexedEvent[] = [];
  for (let i = from; i < to; i += 1) {
    out.push({
      index: i - from,
      event: {
        source,
        eventId: `e-${i}`,
        violationRef: `V-${i % 37}`,
        type: 'detected',
        occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
        actor: { kind: 'camera', id: 'C1' },
        payload: { article: '592', plate: `${String(i % 999).padStart(3, '0')}ABC02` },
      } as LifecycleEvent,
    });
  }
  return out;
}

beforeEach(async () => resetLedger(pool));
afterAll(async () => pool.end());

describe('LedgerWriter under concurrency', () => {
  it('writes concurrent overlapping requests of one source on several lanes, each event once, chains intact', async () => {
    // Eight requests at once, each overlapping its neighbours by half.
    const requests = Array.from({ length: 8 }, (_, r) => detections(r * 50, r * 50 + 100));
    const results = await Promise.all(requests.map((events) => writer.write(events)));
    const accepted = results.flatMap((r) => r.outcomes).filter((o) => o.status === 'accepted').length;
    const duplicates = results.flatMap((r) => r.outcomes).filter((o) => o.status === 'duplicate').length;
    expect(accepted).toBe(450);
    expect(duplicates).toBe(800 - 450);
    const { rows } = await pool.query<{ n: string; lanes: string }>('SELECT count(*) AS n, count(DISTINCT chain_id) AS lanes FROM ledger_event');
    expect(Number(rows[0]?.n)).toBe(450);
    expect(Number(rows[0]?.lanes)).toBeGreaterThan(1);
    const report = await new LedgerVerifier(pool).verify();
    expect(report.failures).toEqual([]);
    expect(report.rowsChecked).toBe(450);
  });

  it('projects a violation from events committed by concurrent writers of different sources', async () => {
    const ref = 'V-shared';
    const make = (source: string, eventId: string, type: LifecycleEvent['type'], minute: number, payload: object, actor: LifecycleEvent['actor']): IndexedEvent => ({
      index: 0,
      event: { source, eventId, violationRef: ref, type, occurredAt: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString(), actor, payload } as LifecycleEvent,
    });
    await Promise.all([
      writer.write([make('cam', 'd', 'detected', 0, { article: '592', fine: { amount: 100 } }, { kind: 'camera', id: 'C' })]),
      writer.write([make('review', 'c', 'confirmed', 1, {}, { kind: 'officer', id: 'O' })]),
      writer.write([make('register', 'n', 'notice_issued', 2, { noticeNumber: 'N' }, { kind: 'system', id: 'R' })]),
      writer.write([make('treasury', 'p', 'paid', 3, { amount: 100 }, { kind: 'treasury', id: 'T' })]),
    ]);
    const { rows } = await pool.query('SELECT status, event_count FROM violation WHERE ref = $1', [ref]);
    expect(rows[0]).toEqual({ status: 'paid', event_count: 4 });
  });

  it('serialises writers of one violation through a bounded number of locks, however many violations a transaction touches', async () => {
    const refs = Array.from({ length: 5000 }, (_, i) => `V-lock-${i}`);
    const buckets = violationLockBuckets(refs);
    expect(buckets.length).toBeLessThanOrEqual(VIOLATION_LOCK_BUCKETS);
    expect(buckets.length).toBeGreaterThan(VIOLATION_LOCK_BUCKETS / 2);
    expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
    expect(violationLockBuckets(['V-lock-7', 'V-lock-7'])).toEqual(violationLockBuckets(['V-lock-7']));
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await reprojectViolations(client, refs);
      const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()");
      expect(Number(rows[0]?.n)).toBe(buckets.length);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('takes concurrent batches of thousands of distinct violations without exhausting the shared lock table', async () => {
    // Five writers of 3,000 new violations each: one lock per violation held 15,000 locks
    // at once, beyond PostgreSQL's default table of about 6,400.
    const batch = (w: number): IndexedEvent[] =>
      detections(0, 3000, `src-${w}`).map((item) => ({ ...item, event: { ...item.event, violationRef: `V-${w}-${item.index}` } as LifecycleEvent }));
    const results = await Promise.all([0, 1, 2, 3, 4].map((w) => writer.write(batch(w))));
    expect(results.flatMap((r) => r.outcomes).filter((o) => o.status === 'accepted')).toHaveLength(15_000);
    const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM violation');
    expect(Number(rows[0]?.n)).toBe(15_000);
  });

  it('answers the same new events sent at once in opposite orders, by two writers of their own, once accepted and once duplicate', async () => {
    // Each append waits on the unique index entries the other has inserted but not yet
    // committed: PostgreSQL breaks the cycle by failing one transaction as a deadlock,
    // which was once passed on to the caller instead of redone.
    const other = new LedgerWriter(pool);
    const forward = detections(0, 3000);
    const backward = [...forward].reverse().map((item, index) => ({ ...item, index }));
    const results = await Promise.all([writer.write(forward), other.write(backward)]);
    const statuses = results.flatMap((r) => r.outcomes.map((o) => o.status));
    expect(statuses.filter((s) => s === 'accepted')).toHaveLength(3000);
    expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(3000);
    const report = await new LedgerVerifier(pool).verify();
    expect(report.failures).toEqual([]);
    expect(report.rowsChecked).toBe(3000);
  });

  it('stores text with tabs, line breaks and backslashes exactly as sent, so the content hash still matches', async () => {
    const awkward = 'line one\nline\ttwo\r\nback\\slash \\N and \u00e9 «кавычки»';
    const event = {
      source: 'review',
      eventId: 'tab\tid\\1',
      violationRef: 'V-awkward',
      type: 'rejected',
      occurredAt: '2026-01-01T05:00:00.000Z',
      actor: { kind: 'officer', id: 'O\\7', unit: 'U\t1', workstation: 'WS\n2' },
      payload: { reasonCode: 'other', reasonText: awkward, nested: { list: [awkward, 1.5, null, true] } },
    } as unknown as LifecycleEvent;
    const written = await writer.write([{ index: 0, event }]);
    expect(written.outcomes.map((o) => o.status)).toEqual(['accepted']);
    const { rows } = await pool.query<LedgerEventRow>(`SELECT ${LEDGER_EVENT_COLUMNS} FROM ledger_event WHERE violation_ref = 'V-awkward'`);
    expect(rows.map(rowToEvent)).toEqual([event]);
    const report = await new LedgerVerifier(pool).verify();
    expect(report.failures).toEqual([]);
    // Sent again, it is recognised as the same event, byte for byte.
    const again = await writer.write([{ index: 0, event }]);
    expect(again.outcomes.map((o) => o.status)).toEqual(['duplicate']);
  });
});

