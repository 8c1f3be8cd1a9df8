import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessLogRepository, createPool } from '@qadaga/db';
import { resetLedger, testDatabaseUrl } from '@qadaga/db/testing';
import { AccessLogVerifier } from './access-log-verifier.js';

const pool = createPool({ url: testDatabaseUrl(), size: 8 });
beforeAll(async () => resetLedger(pool));
afterAll(async () => pool.end());

describe('the access log', () => {
  it('chains hundreds of concurrent records from several processes without a gap, and each caller waits for its own row', async () => {
    // Two repositories stand for two API processes writing to the same lanes.
    const a = new AccessLogRepository(pool);
    const b = new AccessLogRepository(pool);
    await Promise.all(
      Array.from({ length: 400 }, (_, i) =>
        (i % 2 === 0 ? a : b).record({ principal: `user:${i % 7}`, roles: ['prosecutor'], action: 'view_flag', subjectKind: 'officer', subjectId: `OFF-${i}`, details: { i, at: new Date(0) } }),
      ),
    );
    const { rows } = await pool.query<{ n: number; distinct_subjects: number }>('SELECT count(*)::int AS n, count(DISTINCT subject_id)::int AS distinct_subjects FROM access_log');
    expect(rows[0]).toEqual({ n: 400, distinct_subjects: 400 });
    const report = await new AccessLogVerifier(pool).verify();
    expect(report.failures).toEqual([]);
    expect(report.rowsChecked).toBe(400);
    expect(report.lanes.reduce((sum, l) => sum + Number(l.headSeq), 0)).toBe(400);
  });

  it('keeps one chain when processes take turns on lanes whose heads the other last knew, and after the log is emptied', async () => {
    await resetLedger(pool);
    // Each repository remembers the heads it left; the other moves them in between.
    const a = new AccessLogRepository(pool);
    const b = new AccessLogRepository(pool);
    const write = (log: AccessLogRepository, i: number) => log.record({ principal: 'user:t', roles: ['auditor'], action: 'view_flag', subjectKind: 'officer', subjectId: `OFF-${i}` });
    for (let i = 0; i < 40; i++) await write(i % 3 === 0 ? b : a, i);
    let report = await new AccessLogVerifier(pool).verify();
    expect(report.failures).toEqual([]);
    expect(report.rowsChecked).toBe(40);
    expect(report.lanes.reduce((sum, l) => sum + Number(l.headSeq), 0)).toBe(40);
    // Every head either remembers is now gone: their next writes start the lanes again.
    await resetLedger(pool);
    for (let i = 0; i < 10; i++) await write(i % 2 === 0 ? a : b, i);
    report = await new AccessLogVerifier(pool).verify();
    expect(report.failures).toEqual([]);
    expect(report.rowsChecked).toBe(10);
    const { rows } = await pool.query<{ lane: number; seqs: string[] }>('SELECT lane, array_agg(seq::text ORDER BY seq) AS seqs FROM access_log GROUP BY lane');
    for (const r of rows) expect(r.seqs).toEqual(r.seqs.map((_, i) => String(i + 1)));
  });

  it('fails the caller when its record cannot be written, so the read it guards fails too', async () => {
    const broken = new AccessLogRepository(pool);
    await expect(broken.record({ principal: 'user:x', roles: [], action: 'x'.repeat(10), subjectKind: 'officer', subjectId: 'OFF-1', details: { bad: '\u0000' } })).rejects.toThrow();
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM access_log WHERE principal = 'user:x'`);
    expect(rows[0].n).toBe(0);
  });

  it('names an edited row even when the row before it was deleted', async () => {
    await resetLedger(pool);
    const log = new AccessLogRepository(pool);
    // Writers spread over the lanes; forty rows leave at least ten in the busiest one.
    for (let i = 0; i < 40; i++) await log.record({ principal: 'user:a', roles: ['auditor'], action: 'view_case', subjectKind: 'case', subjectId: `C-${i}` });
    const { rows } = await pool.query<{ id: string; lane: number; seq: string }>('SELECT id, lane, seq FROM access_log WHERE lane = (SELECT lane FROM access_log GROUP BY lane ORDER BY count(*) DESC LIMIT 1) ORDER BY seq');
    expect(rows.length).toBeGreaterThanOrEqual(3);
    const [first, second] = rows as [{ id: string; lane: number; seq: string }, { id: string; lane: number; seq: string }];
    await pool.query('ALTER TABLE access_log DISABLE TRIGGER access_log_append_only');
    try {
      await pool.query('DELETE FROM access_log WHERE id = $1', [first.id]);
      await pool.query(`UPDATE access_log SET subject_id = 'C-rewritten' WHERE id = $1`, [second.id]);
    } finally {
      await pool.query('ALTER TABLE access_log ENABLE TRIGGER access_log_append_only');
    }
    const report = await new AccessLogVerifier(pool).verify();
    expect(report.failures).toContainEqual(expect.objectContaining({ kind: 'rows_missing', lane: first.lane, seq: first.seq }));
    expect(report.failures).toContainEqual(expect.objectContaining({ kind: 'content_edited', rowId: second.id }));
  });

  it('drains every record asked for before its process closes the pool', async () => {
    await resetLedger(pool);
    // A pool of its own, closed right after drain() as a shutting-down process does.
    const own = createPool({ url: testDatabaseUrl(), size: 4 });
    const log = new AccessLogRepository(own);
    const outcomes = Array.from({ length: 300 }, (_, i) =>
      log.record({ principal: 'user:s', roles: ['auditor'], action: 'view_flag', subjectKind: 'officer', subjectId: `OFF-${i}` }).then(
        () => 'written',
        (error: unknown) => String(error),
      ),
    );
    await log.drain();
    await own.end();
    expect(new Set(await Promise.all(outcomes))).toEqual(new Set(['written']));
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM access_log');
    expect(rows[0]?.n).toBe(300);
  });
});
