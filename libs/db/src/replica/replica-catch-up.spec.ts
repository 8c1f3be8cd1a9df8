import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../pool.js';
import { testDatabaseUrl } from '../testing/test-database.js';
import { ReplicaCatchUp } from './replica-catch-up.js';
import { createReplicaPool } from './replica-pool.js';

/**
 * The ways a configured replica can fail to serve reads that must see the primary as of a
 * moment, short of a real standby (apps/worker/src/sweep/sweep-replica.spec.ts starts one):
 * each sends the reads to the primary, with the reason in the log.
 */
const primary = createPool({ url: testDatabaseUrl(), size: 2 });
let silent: Server;
const sockets: Socket[] = [];
let silentPort = 0;

const urlOnPort = (port: number) => {
  const url = new URL(testDatabaseUrl());
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return url.toString();
};

beforeAll(async () => {
  // A host that takes the connection and never says a word, as one gone quiet behind a firewall.
  silent = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentPort = (silent.address() as AddressInfo).port;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => silent.close(resolve));
  await primary.end();
});

describe('reads waiting for a replica', () => {
  it('read the primary and wait for nothing when no replica is configured', async () => {
    const said: string[] = [];
    const reads = new ReplicaCatchUp(primary, null, { waitMs: 60_000, log: (m) => said.push(m) });
    expect(reads.hasReplica).toBe(false);
    expect(await reads.position()).toBeNull();
    expect((await reads.now('a sweep')).pool).toBe(primary);
    expect(said).toEqual([]);
  });

  it('read the primary at once when READ_DATABASE_URL is not a standby, and say so', async () => {
    // The primary named as the replica: it answers, but it is no copy in recovery.
    const notStandby = createReplicaPool({ url: testDatabaseUrl(), size: 1, applicationName: 'qadaga-test-read', log: () => undefined });
    try {
      const said: string[] = [];
      const reads = new ReplicaCatchUp(primary, notStandby, { waitMs: 60_000, log: (m) => said.push(m) });
      const position = await reads.position();
      expect(position).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/u);
      const at = await reads.at(position, 'sweep 7');
      expect(at).toEqual({ pool: primary, on: 'primary' });
      expect(said).toEqual(['sweep 7: read on the primary, READ_DATABASE_URL is not a standby in recovery']);
    } finally {
      await notStandby.end();
    }
  });

  it('read the primary when the replica refuses connections, and say why', async () => {
    // A port nothing listens on: one the system gave out a moment ago and took back.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refusing = createReplicaPool({ url: urlOnPort(port), size: 1, applicationName: 'qadaga-test-read', log: () => undefined });
    try {
      const said: string[] = [];
      const reads = new ReplicaCatchUp(primary, refusing, { waitMs: 60_000, log: (m) => said.push(m) });
      expect((await reads.now('backtest of r1')).on).toBe('primary');
      expect(said).toHaveLength(1);
      expect(said[0]).toMatch(/^backtest of r1: read on the primary, the replica cannot be read \(.*ECONNREFUSED/u);
    } finally {
      await refusing.end();
    }
  });

  it('read the primary when the replica takes the connection and never answers, once the wait is over', async () => {
    const quiet = createReplicaPool({ url: urlOnPort(silentPort), size: 1, applicationName: 'qadaga-test-read', log: () => undefined });
    try {
      const said: string[] = [];
      const reads = new ReplicaCatchUp(primary, quiet, { waitMs: 300, log: (m) => said.push(m) });
      expect((await reads.now('sweep 8')).on).toBe('primary');
      expect(said).toEqual(['sweep 8: read on the primary, the replica did not answer within 300 ms']);
    } finally {
      for (const s of sockets.splice(0)) s.destroy();
      await quiet.end().catch(() => undefined);
    }
  });
});
