import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** Debian's PostgreSQL programs (pg_basebackup, pg_ctl): PG_BIN, else the packaged 15. */
function binary(name: string): string {
  return path.join(process.env['PG_BIN'] ?? '/usr/lib/postgresql/15/bin', name);
}

export interface TestReplica {
  /** The replica's URL for a database of the primary's. */
  url(database: string): string;
  /** The replica server's own log, as written so far. */
  log(): Promise<string>;
  stop(): Promise<void>;
}

/** The port a spec's replica listens on: TEST_REPLICA_PORT, else the spec's own, so specs that run at once do not collide. */
export function testReplicaPort(specDefault: number): number {
  const given = process.env['TEST_REPLICA_PORT'];
  return given === undefined || given === '' ? specDefault : Number(given);
}

/** What the primary must allow for a replica to be made of it, said in full where it is missing. */
export const REPLICATION_HBA_LINE = 'host replication all 127.0.0.1/32 trust';

/**
 * A streaming replica of the test server, on this machine: pg_basebackup of the primary
 * (127.0.0.1:5432) into a temporary folder, started by pg_ctl on `port` as a hot standby.
 * PostgreSQL refuses to run as root, so as root the folder is the postgres user's and
 * the programs run as that user. The primary needs a replication entry for 127.0.0.1 in
 * its pg_hba.conf (.ci/run adds it). `settings` are added to the replica's
 * postgresql.conf (a spec may, say, log every statement there).
 */
export async function startTestReplica(options: { primaryUrl: string; port: number; settings?: readonly string[] }): Promise<TestReplica> {
  const primary = new URL(options.primaryUrl);
  const admin = new pg.Client({ connectionString: options.primaryUrl });
  let inherited: string[] = [];
  await admin.connect();
  try {
    // A hot standby refuses to start with fewer of these than its primary has.
    const settings = await admin.query<{ name: string; setting: string }>(
      `SELECT name, setting FROM pg_settings
       WHERE name IN ('max_connections', 'max_worker_processes', 'max_wal_senders', 'max_prepared_transactions', 'max_locks_per_transaction')`,
    );
    inherited = settings.rows.map((r) => `${r.name} = ${r.setting}`);
    const { rows } = await admin.query<{ n: string; hba: string }>(
      `SELECT (SELECT count(*) FROM pg_hba_file_rules WHERE 'replication' = ANY(database) AND type = 'host'
                 AND (address IS NULL OR address = '127.0.0.1' OR address = 'all')) AS n,
              current_setting('hba_file') AS hba`,
    );
    if (rows[0]?.n === '0') {
      throw new Error(`the primary allows no replication connection from 127.0.0.1: add "${REPLICATION_HBA_LINE}" to ${rows[0]?.hba} and run SELECT pg_reload_conf() (.ci/run does both)`);
    }
  } finally {
    await admin.end();
  }

  const asRoot = process.getuid?.() === 0;
  const as = async (file: string, args: string[]) => (asRoot ? run('runuser', ['-u', 'postgres', '--', file, ...args]) : run(file, args));
  const dir = await mkdtemp(path.join(tmpdir(), 'qadaga-replica-'));
  const data = path.join(dir, 'data');
  if (asRoot) await run('chown', ['postgres:postgres', dir]);
  await chmod(dir, 0o700);
  await as(binary('pg_basebackup'), ['-h', primary.hostname, '-p', primary.port || '5432', '-U', decodeURIComponent(primary.username || 'postgres'), '-D', data, '-X', 'stream', '-R', '--checkpoint=fast']);
  // Debian keeps the server's configuration outside the data folder; the replica gets its own.
  const conf = ['hot_standby = on', `port = ${options.port}`, "listen_addresses = '127.0.0.1'", `unix_socket_directories = '${dir}'`, 'fsync = off', ...inherited, ...(options.settings ?? [])];
  await writeFile(path.join(data, 'postgresql.conf'), `${conf.join('\n')}\n`);
  await writeFile(path.join(data, 'pg_hba.conf'), 'local all all trust\nhost all all 127.0.0.1/32 trust\n');
  await writeFile(path.join(data, 'pg_ident.conf'), '');
  if (asRoot) await run('chown', ['-R', 'postgres:postgres', data]);
  try {
    await as(binary('pg_ctl'), ['-D', data, '-l', path.join(dir, 'replica.log'), '-w', '-t', '60', 'start']);
  } catch (error) {
    const log = await readFile(path.join(dir, 'replica.log'), 'utf8').catch(() => '');
    await rm(dir, { recursive: true, force: true });
    throw new Error(`the replica did not start: ${error instanceof Error ? error.message : String(error)}\n${log.split('\n').slice(-8).join('\n')}`);
  }

  const url = (database: string) => {
    const u = new URL(options.primaryUrl);
    u.port = String(options.port);
    u.pathname = `/${database}`;
    return u.toString();
  };
  return {
    url,
    log: async () => readFile(path.join(dir, 'replica.log'), 'utf8').catch(() => ''),
    stop: async () => {
      await as(binary('pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
