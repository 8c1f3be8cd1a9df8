import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ensureServices, type EnsureServicesOptions, type RunningServices } from './index.js';

// The PostgreSQL 15 and Redis 7 that run on development and CI machines.
const LIVE_POSTGRES = 'postgres://postgres@127.0.0.1:5432';
const LIVE_REDIS_URL = 'redis://127.0.0.1:6379';

const running: RunningServices[] = [];
const dirs: string[] = [];
const databasesToDrop: string[] = [];

afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(running.splice(0).map((services) => services.stop()));
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  for (const name of databasesToDrop.splice(0)) {
    await withPg(`${LIVE_POSTGRES}/postgres`, (client) => client.query(`drop database if exists ${client.escapeIdentifier(name)} with (force)`));
  }
});

async function ensure(options: EnsureServicesOptions): Promise<RunningServices> {
  const services = await ensureServices(options);
  running.push(services);
  return services;
}

async function uniqueDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'qadaga-demo-test-'));
  // mkdtemp makes it 0700; as root the embedded cluster runs as `postgres`, which must get in.
  await chmod(dir, 0o755);
  dirs.push(dir);
  return dir;
}

/** A port nothing listens on: the kernel hands one out and we let go of it at once. */
async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1', timeout: 2_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

function portOf(url: string): number {
  return Number(new URL(url).port);
}

async function withPg<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function ping(url: string): Promise<string> {
  const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  try {
    await client.connect();
    return await client.ping();
  } finally {
    client.disconnect();
  }
}

describe('ensureServices', () => {
  it('uses PostgreSQL and Redis that already answer, creating the missing database and starting nothing', async () => {
    const database = `qadaga_demo_test_${process.pid}_${Date.now()}`;
    databasesToDrop.push(database);
    const databaseUrl = `${LIVE_POSTGRES}/${database}`;

    const services = await ensure({ databaseUrl, redisUrl: LIVE_REDIS_URL, dataDir: await uniqueDataDir() });

    expect(services.databaseUrl).toBe(databaseUrl);
    expect(services.redisUrl).toBe(LIVE_REDIS_URL);
    expect(services.started).toEqual([]);
    const rows = await withPg(databaseUrl, async (client) => (await client.query('select current_database() as name')).rows);
    expect(rows).toEqual([{ name: database }]);
  });

  it('starts embedded PostgreSQL when nothing answers at DATABASE_URL, and stop() stops it', async () => {
    const deadUrl = `postgres://postgres@127.0.0.1:${await unusedPort()}/qadaga_demo`;

    const services = await ensure({ databaseUrl: deadUrl, redisUrl: LIVE_REDIS_URL, dataDir: await uniqueDataDir() });

    expect(services.started).toEqual(['embedded-postgres']);
    expect(services.databaseUrl).not.toBe(deadUrl);
    const rows = await withPg(services.databaseUrl, async (client) => (await client.query('select 1 as one, current_database() as name')).rows);
    expect(rows).toEqual([{ one: 1, name: 'qadaga_demo' }]);

    await services.stop();
    expect(await portAnswers(portOf(services.databaseUrl))).toBe(false);
  });

  it('reuses the embedded cluster (and its data) on the next run with the same data directory', async () => {
    const deadUrl = `postgres://postgres@127.0.0.1:${await unusedPort()}/qadaga_demo`;
    const options = { databaseUrl: deadUrl, redisUrl: LIVE_REDIS_URL, dataDir: await uniqueDataDir() };

    const first = await ensure(options);
    await withPg(first.databaseUrl, (client) => client.query("create table kept (note text); insert into kept values ('from run 1')"));
    await first.stop();
    const second = await ensure(options);

    expect(second.started).toEqual(['embedded-postgres']);
    const rows = await withPg(second.databaseUrl, async (client) => (await client.query('select note from kept')).rows);
    expect(rows).toEqual([{ note: 'from run 1' }]);
  });

  it('spawns redis-server when nothing answers at REDIS_URL, and stop() kills it', async () => {
    const deadUrl = `redis://127.0.0.1:${await unusedPort()}`;

    const services = await ensure({ databaseUrl: `${LIVE_POSTGRES}/postgres`, redisUrl: deadUrl, dataDir: await uniqueDataDir() });

    expect(services.started).toEqual(['redis-server']);
    expect(services.redisUrl).not.toBe(deadUrl);
    expect(await ping(services.redisUrl)).toBe('PONG');

    await services.stop();
    expect(await portAnswers(portOf(services.redisUrl))).toBe(false);
  });

  it('explains how to get a Redis when none answers and redis-server is not installed', async () => {
    // An empty PATH is a machine without redis-server, as far as the lookup can tell.
    vi.stubEnv('PATH', await uniqueDataDir());
    const deadUrl = `redis://127.0.0.1:${await unusedPort()}`;

    const attempt = ensure({ databaseUrl: `${LIVE_POSTGRES}/postgres`, redisUrl: deadUrl, dataDir: await uniqueDataDir() });

    await expect(attempt).rejects.toThrow(/apt-get install redis-server[\s\S]*REDIS_URL[\s\S]*docker compose up redis/u);
  });
});
