import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { pickFreePort } from './free-port.js';
import { LogTail } from './log-tail.js';
import { checkRedis } from './redis.js';
import type { EnsuredService, Log } from './service.js';
import { TimeLimitExceeded, withTimeLimit } from './time-limit.js';

export const REDIS_SERVER_PORT = 6390;
const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;
const POLL_INTERVAL_MS = 100;

/**
 * Spawns `redisServer` on 127.0.0.1 (port 6390 when free) as a throw-away cache/queue:
 * nothing is persisted (no RDB snapshots, no AOF), and `noeviction` because BullMQ loses
 * jobs silently under any eviction policy. Resolves once it answers PING.
 */
export async function startRedisServer(redisServer: string, workDir: string, log: Log): Promise<EnsuredService> {
  const port = await pickFreePort(REDIS_SERVER_PORT);
  const url = `redis://127.0.0.1:${port}`;
  // Redis writes nothing with these settings, but its working directory is where it would.
  await mkdir(workDir, { recursive: true });
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
    '--maxmemory-policy', 'noeviction', '--dir', workDir, '--loglevel', 'warning'];
  log(`starting ${redisServer} on 127.0.0.1:${port}`);
  const child = spawn(redisServer, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = new LogTail('[redis]', log);
  // Reading both pipes also keeps a chatty server from blocking on a full pipe.
  child.stdout?.on('data', output.write);
  child.stderr?.on('data', output.write);
  child.on('error', (error) => output.write(`could not run ${redisServer}: ${error.message}`));
  // A spawned server must not outlive a demo that exits (even on an uncaught error) without stop().
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    await terminate(child);
  };
  try {
    await withTimeLimit(untilAnswers(url, child), READY_TIMEOUT_MS, `no PING answer within ${READY_TIMEOUT_MS} ms`);
  } catch (error) {
    await stop();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`redis-server did not start (${reason}):\n${output.text()}`);
  }
  return { url, started: 'redis-server', stop };
}

async function untilAnswers(url: string, child: ChildProcess): Promise<void> {
  let exit: string | undefined;
  child.once('exit', (code, signal) => (exit = `exited with ${signal ?? `code ${code}`}`));
  child.once('error', (error) => (exit = `could not run: ${error.message}`));
  for (;;) {
    if (exit) throw new Error(exit);
    if ((await checkRedis(url)).answers) return;
    await delay(POLL_INTERVAL_MS);
  }
}

/** SIGTERM (Redis shuts down cleanly and fast with nothing to save), SIGKILL if it lingers. */
async function terminate(child: ChildProcess): Promise<void> {
  const gone = child.pid === undefined || child.exitCode !== null || child.signalCode !== null;
  if (gone) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  try {
    await withTimeLimit(exited, STOP_TIMEOUT_MS, 'redis-server ignored SIGTERM');
  } catch (error) {
    if (!(error instanceof TimeLimitExceeded)) throw error;
    child.kill('SIGKILL');
    await withTimeLimit(exited, STOP_TIMEOUT_MS, 'redis-server survived SIGKILL');
  }
}
