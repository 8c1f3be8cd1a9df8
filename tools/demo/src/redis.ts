import { Redis } from 'ioredis';
import { describeError } from './describe-error.js';
import { CHECK_TIMEOUT_MS, type Reachability } from './service.js';
import { withTimeLimit } from './time-limit.js';

/** Does the Redis behind `redisUrl` answer PING? One attempt, no reconnects, bounded by CHECK_TIMEOUT_MS. */
export async function checkRedis(redisUrl: string): Promise<Reachability> {
  const client = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: CHECK_TIMEOUT_MS,
    commandTimeout: CHECK_TIMEOUT_MS,
    // ioredis reconnects forever by default; a check wants one verdict, not a retry storm.
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
  });
  // The socket error (ECONNREFUSED, ENOTFOUND...) says more than the "Connection is closed." the
  // promise rejects with; without a listener ioredis would also print it to the console.
  let socketError: unknown;
  client.on('error', (error: unknown) => {
    socketError ??= error;
  });
  try {
    await withTimeLimit(
      client.connect().then(() => client.ping()),
      CHECK_TIMEOUT_MS,
      `no answer from Redis within ${CHECK_TIMEOUT_MS} ms`,
    );
    return { answers: true };
  } catch (error) {
    return { answers: false, reason: describeError(socketError ?? error) };
  } finally {
    client.disconnect();
  }
}
