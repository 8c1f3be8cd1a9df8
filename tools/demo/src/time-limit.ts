/** Distinguishes "still running but too slow" from the work's own failure. */
export class TimeLimitExceeded extends Error {}

/**
 * Settles like `work`, or rejects with TimeLimitExceeded(`message`) once `ms` have passed.
 * Every wait on a process or a socket in this package goes through here, so a wedged server
 * can never hang a demo run or a test; the timer is unref'd so it never keeps the process
 * alive by itself.
 */
export async function withTimeLimit<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new TimeLimitExceeded(message)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
