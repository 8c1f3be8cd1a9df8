import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LifecycleEvent } from '@qadaga/domain';
import { AccessLogRepository, createPool } from '@qadaga/db';
import { resetLedger, testDatabaseUrl } from '@qadaga/db/testing';
import { AccessLogVerifier } from '../access-log/access-log-verifier.js';
import { LedgerVerifier } from '../ledger-verifier.js';
import { LedgerWriter } from '../ledger-writer.js';
import { MissingTimePartitionError, ensureTimePartitions, timePartitions } from './time-partitions.js';

const pool = createPool({ url: testDatabaseUrl(), size: 4 });
// One lane per source: each source's events form one chain, which then runs across the months.
const writer = new LedgerWriter(pool, 1);

/** The first instant of the month `offset` months from the current one (UTC). */
function monthStart(offset: number): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
}

function partitionName(table: string, month: Date): string {
  return `${table}_y${month.getUTCFullYear()}m${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
}

function event(source: string, n: number, speed = 80): LifecycleEvent {
  return {
    source,
    eventId: `${source}-${n}`,
    violationRef: `${source}-V${n}`,
    type: 'detected',
    occurredAt: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
    actor: { kind: 'camera', id: 'C1' },
    payload: { article: '592', plate: '123ABC02', speed },
  } as LifecycleEvent;
}

const indexed = (list: LifecycleEvent[]) => list.map((e, index) => ({ index, event: e }));

/**
 * The product never sets received_at: the database stamps it. To write into past months
 * through the real writer, a test alone moves the column's default, the one clock the rows read.
 */
async function writeAt(at: Date, list: LifecycleEvent[]) {
  await pool.query(`ALTER TABLE ledger_event ALTER COLUMN received_at SET DEFAULT '${at.toISOString()}'::timestamptz`);
  try {
    return await writer.write(indexed(list));
  } finally {
    await pool.query('ALTER TABLE ledger_event ALTER COLUMN received_at SET DEFAULT statement_timestamp()');
  }
}

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

const past = [-3, -2, -1].map(monthStart);
const midMonth = (start: Date) => new Date(start.getTime() + 14 * 86_400_000);

beforeAll(async () => {
  await resetLedger(pool);
  await ensureTimePartitions(pool, { fromMonth: past[0] as Date });
});
afterAll(async () => {
  await resetLedger(pool);
  // The past months and the far-ahead ones made here are not left behind for the next spec file.
  for (const month of [...past, monthStart(4), monthStart(5)]) {
    for (const table of ['ledger_event', 'access_log']) {
      const name = partitionName(table, month);
      await pool.query(`ALTER TABLE ${table} DETACH PARTITION ${name}`).catch(() => undefined);
      await pool.query(`DROP TABLE IF EXISTS ${name}`);
    }
  }
  await pool.end();
});

describe('monthly partitions', () => {
  it('are made from a month through the months ahead, once, and listed oldest first with their bounds', async () => {
    expect(await ensureTimePartitions(pool, { fromMonth: past[0] as Date, monthsAhead: 3 })).toEqual([]);
    const ledger = await timePartitions(pool, 'ledger_event');
    const wanted = [-3, -2, -1, 0, 1, 2, 3].map(monthStart);
    expect(ledger.map((p) => p.name)).toEqual(expect.arrayContaining(wanted.map((m) => partitionName('ledger_event', m))));
    const froms = ledger.map((p) => p.from.getTime());
    expect(froms).toEqual([...froms].sort((a, b) => a - b));
    for (const p of ledger) expect(p.to.getTime()).toBeGreaterThan(p.from.getTime());
    const current = ledger.find((p) => p.name === partitionName('ledger_event', monthStart(0)));
    expect(current).toEqual({ name: partitionName('ledger_event', monthStart(0)), from: monthStart(0), to: monthStart(1) });
    expect((await timePartitions(pool, 'access_log')).map((p) => p.name)).toEqual(expect.arrayContaining(wanted.map((m) => partitionName('access_log', m))));

    // A month further ahead is made when asked for, and only once however many ask at once.
    const made = await Promise.all([ensureTimePartitions(pool, { monthsAhead: 5 }), ensureTimePartitions(pool, { monthsAhead: 5 })]);
    expect(made.flat().sort()).toEqual(
      [4, 5].flatMap((m) => [partitionName('access_log', monthStart(m)), partitionName('ledger_event', monthStart(m))]).sort(),
    );
    await expect(ensureTimePartitions(pool, { monthsAhead: -1 })).rejects.toThrow(/monthsAhead/u);
  });

  it('hold each event in the month it was received, and keep one chain per source across the months', async () => {
    await resetLedger(pool);
    const outcomes = [];
    for (const [i, month] of past.entries()) outcomes.push(...(await writeAt(midMonth(month), [event('cam-a', 2 * i + 1), event('cam-a', 2 * i + 2)])).outcomes);
    outcomes.push(...(await writer.write(indexed([event('cam-a', 7)]))).outcomes);
    expect(outcomes.map((o) => [o.status, o.status === 'accepted' ? o.chainSeq : null])).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => ['accepted', String(n)]));

    const { rows } = await pool.query<{ partition: string; event_id: string; chain_seq: string }>(
      'SELECT tableoid::regclass::text AS partition, event_id, chain_seq FROM ledger_event ORDER BY chain_seq',
    );
    expect(rows.map((r) => [r.partition, r.event_id])).toEqual([
      [partitionName('ledger_event', past[0] as Date), 'cam-a-1'],
      [partitionName('ledger_event', past[0] as Date), 'cam-a-2'],
      [partitionName('ledger_event', past[1] as Date), 'cam-a-3'],
      [partitionName('ledger_event', past[1] as Date), 'cam-a-4'],
      [partitionName('ledger_event', past[2] as Date), 'cam-a-5'],
      [partitionName('ledger_event', past[2] as Date), 'cam-a-6'],
      [partitionName('ledger_event', monthStart(0)), 'cam-a-7'],
    ]);
    // The key of every event, whatever its month, naming the row's position and content.
    const keys = await pool.query<{ n: string }>(
      'SELECT count(*) AS n FROM ledger_event_key k JOIN ledger_event e USING (source, event_id, chain_id, chain_seq, content_hash)',
    );
    expect(keys.rows[0]?.n).toBe('7');

    const report = await new LedgerVerifier(pool).verify({ threads: 0, batchBytes: 300 });
    expect(report.failures).toEqual([]);
    expect(report.chains).toEqual([expect.objectContaining({ chainId: 'cam-a/0', rows: 7, headSeq: '7' })]);
    const read = report.partitions.filter((p) => p.rows > 0).map((p) => [p.name, p.rows]);
    expect(read).toEqual([
      [partitionName('ledger_event', past[0] as Date), 2],
      [partitionName('ledger_event', past[1] as Date), 2],
      [partitionName('ledger_event', past[2] as Date), 2],
      [partitionName('ledger_event', monthStart(0)), 1],
    ]);
  });

  it('answer an event of an earlier month sent again as a duplicate, and a changed one as a conflict, storing neither', async () => {
    const again = await writer.write(indexed([event('cam-a', 1), event('cam-a', 3, 99), event('cam-a', 8)]));
    expect(again.outcomes.map((o) => o.status)).toEqual(['duplicate', 'rejected', 'accepted']);
    const conflicts = await pool.query<{ event_id: string }>('SELECT event_id FROM ingest_conflict');
    expect(conflicts.rows).toEqual([{ event_id: 'cam-a-3' }]);
    const stored = await pool.query<{ n: string }>("SELECT count(*) AS n FROM ledger_event WHERE event_id IN ('cam-a-1', 'cam-a-3')");
    expect(stored.rows[0]?.n).toBe('2');

    // Written into an earlier month again (a late replay lands in the current month, but the
    // key table refuses it whichever month the row would go to).
    const replay = await writeAt(midMonth(past[2] as Date), [event('cam-a', 2)]);
    expect(replay.outcomes.map((o) => o.status)).toEqual(['duplicate']);
    expect((await new LedgerVerifier(pool).verify()).ok).toBe(true);
  });

  it('still name an edited row of the oldest month and a deleted one of a middle month', async () => {
    await tamper("UPDATE ledger_event SET payload = jsonb_set(payload, '{speed}', '59') WHERE event_id = 'cam-a-2'");
    await tamper("DELETE FROM ledger_event WHERE event_id = 'cam-a-4'");
    const report = await new LedgerVerifier(pool).verify({ threads: 0 });
    expect(report.ok).toBe(false);
    expect(report.failures.map((f) => [f.kind, f.seq])).toEqual(
      expect.arrayContaining([
        ['content_edited', '2'],
        ['rows_missing', '4'],
      ]),
    );
    // The append-only trigger guards every month, old ones too.
    await expect(pool.query("UPDATE ledger_event SET payload = '{}' WHERE event_id = 'cam-a-1'")).rejects.toThrow(/append-only/u);
    await expect(pool.query("DELETE FROM ledger_event_key WHERE event_id = 'cam-a-1'")).rejects.toThrow(/append-only/u);
  });

  it('refuse a write for a month no partition was made for, loudly and storing nothing', async () => {
    await resetLedger(pool);
    await writer.write(indexed([event('cam-b', 1)]));
    const noMonth = monthStart(-40);
    const failed = writeAt(midMonth(noMonth), [event('cam-b', 2), event('cam-b', 3)]);
    await expect(failed).rejects.toBeInstanceOf(MissingTimePartitionError);
    await expect(failed).rejects.toThrow(/ledger_event has no partition for the month being written .*received_at.*nothing of this write was stored.*qadaga ledger partitions/u);
    const stored = await pool.query<{ events: string; keys: string; head: string }>(
      "SELECT (SELECT count(*) FROM ledger_event) AS events, (SELECT count(*) FROM ledger_event_key) AS keys, (SELECT head_seq FROM ledger_chain WHERE chain_id = 'cam-b/0') AS head",
    );
    expect(stored.rows[0]).toEqual({ events: '1', keys: '1', head: '1' });
    // Sent again once the clock is back in a month that exists, the events are stored.
    const retried = await writer.write(indexed([event('cam-b', 2), event('cam-b', 3)]));
    expect(retried.outcomes.map((o) => o.status)).toEqual(['accepted', 'accepted']);
  });
});

describe('the access log across months', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('holds each record in the month of its time, and its lanes verify across the months', async () => {
    await resetLedger(pool);
    const log = new AccessLogRepository(pool);
    vi.useFakeTimers({ toFake: ['Date'] });
    for (const [i, month] of [...past, monthStart(0)].entries()) {
      vi.setSystemTime(midMonth(month));
      await Promise.all([0, 1, 2].map((j) => log.record({ principal: 'user:a', roles: ['auditor'], action: 'view_flag', subjectKind: 'flag', subjectId: `F-${i}-${j}` })));
    }
    vi.useRealTimers();
    const { rows } = await pool.query<{ partition: string; n: number }>('SELECT tableoid::regclass::text AS partition, count(*)::int AS n FROM access_log GROUP BY 1 ORDER BY 1');
    expect(rows).toEqual([...past, monthStart(0)].map((m) => ({ partition: partitionName('access_log', m), n: 3 })));
    const keys = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM access_log_key k JOIN access_log a ON a.lane = k.lane AND a.seq = k.seq AND a.id = k.id');
    expect(keys.rows[0]?.n).toBe(12);
    const verifier = new AccessLogVerifier(pool);
    expect((await verifier.verify()).failures).toEqual([]);

    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('ALTER TABLE access_log DISABLE TRIGGER USER');
      await client.query("UPDATE access_log SET subject_id = 'F-other' WHERE subject_id = 'F-0-1'");
      await client.query('ALTER TABLE access_log ENABLE TRIGGER USER');
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const report = await verifier.verify();
    expect(report.failures).toEqual([expect.objectContaining({ kind: 'content_edited' })]);
  });

  it('keeps one position of a lane once across months', async () => {
    const { rows } = await pool.query<{ lane: number; seq: string }>('SELECT lane, seq FROM access_log ORDER BY id LIMIT 1');
    const first = rows[0] as { lane: number; seq: string };
    await expect(
      pool.query(
        `INSERT INTO access_log (at, principal, roles, action, subject_kind, subject_id, lane, seq, content_hash, chain_hash)
         VALUES (now(), 'user:x', '{}', 'view_flag', 'flag', 'F-x', $1, $2, 'x', 'x')`,
        [first.lane, first.seq],
      ),
    ).rejects.toThrow(/access_log_key_pkey/u);
  });
});
