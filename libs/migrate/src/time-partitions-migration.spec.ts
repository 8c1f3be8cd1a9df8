import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, DEFAULT_MIGRATIONS_DIR } from './index.js';

// The migration that partitions the ledger and the access log must carry a populated
// database across: the rows, their ids, their keys and the append-only guard.
const PARTITIONING = '20261207230000_time_partitions';
const serverUrl = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = `qadaga_migrate_spec_partitions_${randomBytes(6).toString('hex')}`;

function urlFor(name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function onDatabase<T>(name: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: urlFor(name) });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function monthStart(offset: number): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
}

const suffix = (month: Date) => `y${month.getUTCFullYear()}m${String(month.getUTCMonth() + 1).padStart(2, '0')}`;

describe('partitioning a populated ledger and access log', () => {
  let before: string;

  beforeAll(async () => {
    before = await mkdtemp(path.join(os.tmpdir(), 'qadaga-migrations-'));
    await cp(DEFAULT_MIGRATIONS_DIR, before, { recursive: true });
    for (const entry of await readdir(before, { withFileTypes: true })) {
      if (entry.isDirectory() && entry.name >= PARTITIONING) await rm(path.join(before, entry.name), { recursive: true });
    }
    await applyMigrations({ databaseUrl: urlFor(database), migrationsDir: before });
  });

  afterAll(async () => {
    await onDatabase('postgres', (admin) => admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
    await rm(before, { recursive: true, force: true });
  });

  it('moves every row into the partition of its month, keeps ids and keys, and guards the new tables as the old', async () => {
    const months = [monthStart(-3), monthStart(-2), monthStart(0)];
    await onDatabase(database, async (db) => {
      // Rows as the unpartitioned tables held them: three months, two chains, ids with a gap.
      for (const [i, month] of months.entries()) {
        for (const lane of [0, 1]) {
          await db.query(
            `INSERT INTO ledger_event (id, chain_id, chain_seq, source, event_id, violation_ref, type, occurred_at, received_at, actor_kind, actor_id, payload, content_hash, chain_hash)
             VALUES ($1, $2, $3, 'cam', $4, 'V1', 'detected', $5, $5, 'camera', 'C1', '{"plate":"1"}', 'c', 'h')`,
            [10 * i + lane + 1, `cam/${lane}`, i + 1, `cam-${i}-${lane}`, new Date(month.getTime() + 3_600_000)],
          );
        }
        await db.query(
          `INSERT INTO access_log (at, principal, roles, action, subject_kind, subject_id, lane, seq, content_hash, chain_hash)
           VALUES ($1, 'user:a', '{auditor}', 'view_flag', 'flag', $2, 0, $3, 'c', 'h')`,
          [new Date(month.getTime() + 3_600_000), `F-${i}`, i + 1],
        );
      }
      // A row from before the log was chained: no lane, no position.
      await db.query(`INSERT INTO access_log (at, principal, action, subject_kind, subject_id) VALUES ($1, 'user:b', 'view_plate', 'plate', 'P1')`, [months[0]]);
    });

    const { applied } = await applyMigrations({ databaseUrl: urlFor(database) });
    expect(applied[0]).toBe(PARTITIONING);

    await onDatabase(database, async (db) => {
      const kinds = await db.query<{ relname: string; relkind: string }>(
        "SELECT relname, relkind FROM pg_class WHERE relname IN ('ledger_event', 'access_log', 'ledger_event_unpartitioned', 'access_log_unpartitioned') ORDER BY relname",
      );
      expect(kinds.rows).toEqual([
        { relname: 'access_log', relkind: 'p' },
        { relname: 'ledger_event', relkind: 'p' },
      ]);

      const events = await db.query<{ id: string; partition: string; event_id: string }>('SELECT id, tableoid::regclass::text AS partition, event_id FROM ledger_event ORDER BY id');
      expect(events.rows).toEqual(
        months.flatMap((month, i) => [0, 1].map((lane) => ({ id: String(10 * i + lane + 1), partition: `ledger_event_${suffix(month)}`, event_id: `cam-${i}-${lane}` }))),
      );
      const log = await db.query<{ partition: string; n: number }>('SELECT tableoid::regclass::text AS partition, count(*)::int AS n FROM access_log GROUP BY 1 ORDER BY 1');
      expect(log.rows).toEqual([
        { partition: `access_log_${suffix(months[0] as Date)}`, n: 2 },
        { partition: `access_log_${suffix(months[1] as Date)}`, n: 1 },
        { partition: `access_log_${suffix(months[2] as Date)}`, n: 1 },
      ]);

      // Every month from the oldest row through three months ahead, the empty one between included.
      const made = await db.query<{ relname: string }>("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'ledger_event'::regclass ORDER BY 1");
      expect(made.rows.map((r) => r.relname)).toEqual([-3, -2, -1, 0, 1, 2, 3].map((m) => `ledger_event_${suffix(monthStart(m))}`));

      const keys = await db.query<{ event_id: string }>(
        'SELECT k.event_id FROM ledger_event_key k JOIN ledger_event e USING (source, event_id, chain_id, chain_seq, content_hash) ORDER BY e.id',
      );
      expect(keys.rows.map((k) => k.event_id)).toEqual(events.rows.map((e) => e.event_id));
      const logKeys = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM access_log_key');
      expect(logKeys.rows[0]?.n).toBe(3);

      // The sequences were kept: a new row takes an id after the moved ones, stamped by the database.
      const next = await db.query<{ id: string; received_at: Date }>(
        `INSERT INTO ledger_event (chain_id, chain_seq, source, event_id, violation_ref, type, occurred_at, actor_kind, actor_id, payload, content_hash, chain_hash)
         VALUES ('cam/0', 4, 'cam', 'cam-new', 'V1', 'detected', now(), 'camera', 'C1', '{}', 'c', 'h') RETURNING id, received_at`,
      );
      expect(Number(next.rows[0]?.id)).toBeGreaterThan(22);
      expect(Math.abs((next.rows[0]?.received_at.getTime() ?? 0) - Date.now())).toBeLessThan(3_600_000);

      // Ledger-wide keys hold across months (the writer inserts them); the old guards hold on the new tables.
      await expect(
        db.query("INSERT INTO ledger_event_key (source, event_id, chain_id, chain_seq, content_hash) VALUES ('cam', 'cam-0-0', 'cam/0', 9, 'c')"),
      ).rejects.toThrow(/ledger_event_key_pkey/u);
      await expect(
        db.query("INSERT INTO ledger_event_key (source, event_id, chain_id, chain_seq, content_hash) VALUES ('cam', 'cam-fork', 'cam/1', 1, 'c')"),
      ).rejects.toThrow(/ledger_event_key_chain_id_chain_seq_key/u);
      await expect(db.query("UPDATE ledger_event SET payload = '{}' WHERE event_id = 'cam-0-0'")).rejects.toThrow(/append-only/u);
      await expect(db.query("DELETE FROM access_log WHERE subject_id = 'F-0'")).rejects.toThrow(/append-only/u);
      await expect(db.query("UPDATE ledger_event_key SET content_hash = 'x'")).rejects.toThrow(/append-only/u);
    });
  });
});
