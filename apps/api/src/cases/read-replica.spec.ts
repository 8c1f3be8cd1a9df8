import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createPool } from '@qadaga/db';
import { startTestReplica, testDatabaseUrl, testReplicaPort, type TestReplica } from '@qadaga/db/testing';
import { insertFlag, startTestApp, type TestApp } from '../testing/test-app.js';

/**
 * The API with READ_DATABASE_URL on a real streaming replica of the test server (made by
 * pg_basebackup, started on port 5442). With the replica's replay paused, a person's own
 * writes are read back (from the primary) while another person's list, served by the
 * replica, does not show them yet: both paths are taken, and told apart.
 */
const REPLICA_PORT = testReplicaPort(5442);
let replica: TestReplica;
let t: TestApp;
let onReplica: pg.Pool;
let p1: { authorization: string };
let p2: { authorization: string };

const call = (method: 'GET' | 'POST', url: string, headers: { authorization: string }, payload?: Record<string, unknown>) =>
  t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });

/** Until the replica has replayed everything the primary has written so far. */
async function caughtUp(): Promise<void> {
  const { rows } = await t.pool.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
  const target = rows[0]?.lsn as string;
  for (let i = 0; i < 600; i += 1) {
    const replayed = await onReplica.query<{ ok: boolean }>('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok', [target]);
    if (replayed.rows[0]?.ok === true) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the replica did not replay up to ${target}`);
}

beforeAll(async () => {
  replica = await startTestReplica({ primaryUrl: testDatabaseUrl(), port: REPLICA_PORT });
  const database = new URL(testDatabaseUrl()).pathname.slice(1);
  onReplica = createPool({ url: replica.url(database), size: 2 });
  t = await startTestApp({ READ_DATABASE_URL: replica.url(database) });
  [p1, p2] = await Promise.all([t.signIn('prosecutor'), t.signIn('prosecutor2')]);
}, 120_000);
afterAll(async () => {
  await t?.close();
  await onReplica?.end();
  await replica?.stop();
});

describe('reads on a streaming replica', () => {
  it("serve other people's case lists from the replica, while a person's own new case and note are read back at once", async () => {
    const flagId = await insertFlag(t.pool);
    await caughtUp();
    const inRecovery = await onReplica.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby');
    expect(inRecovery.rows[0]?.standby).toBe(true);
    await onReplica.query('SELECT pg_wal_replay_pause()');
    try {
      const opened = await call('POST', '/v1/cases', p1, { title: 'Cancellations of one car by one officer', flagIds: [flagId] });
      expect(opened.statusCode).toBe(201);
      const caseId = (opened.json() as { id: string }).id;
      expect((await call('POST', `/v1/cases/${caseId}/notes`, p1, { text: 'Asked the register for the orders.' })).statusCode).toBe(201);

      // Committed on the primary, not yet on the paused replica.
      const onPrimary = await t.pool.query('SELECT 1 FROM case_note WHERE case_id = $1', [caseId]);
      const notYet = await onReplica.query('SELECT 1 FROM case_file WHERE id = $1', [caseId]);
      expect(onPrimary.rowCount).toBe(1);
      expect(notYet.rowCount).toBe(0);

      // Its author reads it back, page and list alike.
      const own = await call('GET', `/v1/cases/${caseId}`, p1);
      expect(own.statusCode).toBe(200);
      expect((own.json() as { notes: { text: string }[] }).notes.map((n) => n.text)).toEqual(['Asked the register for the orders.']);
      const ownList = (await call('GET', '/v1/cases', p1)).json() as { items: { id: string }[] };
      expect(ownList.items.map((c) => c.id)).toContain(caseId);

      // Someone else's list comes from the replica, which has not replayed it.
      const othersList = (await call('GET', '/v1/cases', p2)).json() as { items: { id: string }[] };
      expect(othersList.items.map((c) => c.id)).not.toContain(caseId);
      expect((await call('GET', `/v1/cases/${caseId}`, p2)).statusCode).toBe(404);
    } finally {
      await onReplica.query('SELECT pg_wal_replay_resume()');
    }

    // Once the replica has replayed it, everyone reads it there.
    await caughtUp();
    const othersList = (await call('GET', '/v1/cases', p2)).json() as { items: { id: string }[] };
    expect(othersList.items).toHaveLength(1);
  });

  it("serve the flag queue from the replica, while a person's own triage is read back at once", async () => {
    const flagId = await insertFlag(t.pool, { subjectId: 'OFF-TRIAGE' });
    await caughtUp();
    await onReplica.query('SELECT pg_wal_replay_pause()');
    try {
      const triaged = await call('POST', `/v1/flags/${flagId}/status`, p1, { status: 'triaged', reason: 'looked at the cancellations' });
      expect(triaged.statusCode).toBe(200);
      const statusFor = async (who: { authorization: string }) => ((await call('GET', `/v1/flags/${flagId}`, who)).json() as { status: string }).status;
      expect(await statusFor(p1)).toBe('triaged');
      expect(await statusFor(p2)).toBe('new');
    } finally {
      await onReplica.query('SELECT pg_wal_replay_resume()');
    }
  });

  it("serve search and a person's work list from the replica, while the author finds their own new case at once", async () => {
    const flagId = await insertFlag(t.pool, { subjectId: 'OFF-WORK' });
    await caughtUp();
    await onReplica.query('SELECT pg_wal_replay_pause()');
    const found = async (who: { authorization: string }) =>
      ((await call('GET', `/v1/search?q=${encodeURIComponent('dismissals signed at night')}`, who)).json() as { cases: { id: string }[] }).cases.map((c) => c.id);
    const work = async (who: { authorization: string }) => ((await call('GET', '/v1/me/work', who)).json() as { cases: { id: string }[] }).cases.map((c) => c.id);
    let caseId = '';
    try {
      const opened = await call('POST', '/v1/cases', p1, { title: 'Dismissals signed at night', flagIds: [flagId], assigneeId: t.users.prosecutor2.id });
      expect(opened.statusCode).toBe(201);
      caseId = (opened.json() as { id: string }).id;
      expect(await found(p1)).toContain(caseId);
      // Given to the other prosecutor, who reads the replica: not there yet.
      expect(await found(p2)).not.toContain(caseId);
      expect(await work(p2)).not.toContain(caseId);
    } finally {
      await onReplica.query('SELECT pg_wal_replay_resume()');
    }
    await caughtUp();
    expect(await found(p2)).toContain(caseId);
    expect(await work(p2)).toContain(caseId);
  });

  it('serve profiles and the roster from the replica: an officer the roster gained on the primary is unknown there until replayed', async () => {
    const rostered = async () => ((await call('GET', '/v1/reference/officers?q=OF-REPLICA', p2)).json() as { officers: { id: string }[] }).officers.map((o) => o.id);
    await caughtUp();
    await onReplica.query('SELECT pg_wal_replay_pause()');
    try {
      await t.pool.query(`INSERT INTO officer (id, unit, role, shift, absences) VALUES ('OF-REPLICA', 'AP-9', 'inspector', '{}', '[]')`);
      expect((await call('GET', '/v1/officers/OF-REPLICA/profile', p2)).statusCode).toBe(404);
      expect(await rostered()).toEqual([]);
    } finally {
      await onReplica.query('SELECT pg_wal_replay_resume()');
    }
    await caughtUp();
    expect((await call('GET', '/v1/officers/OF-REPLICA/profile', p2)).statusCode).toBe(200);
    expect(await rostered()).toEqual(['OF-REPLICA']);
  });
});
