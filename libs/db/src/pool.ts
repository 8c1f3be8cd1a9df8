import pg from 'pg';

/**
 * One pg pool per process, shared by Prisma's driver adapter and the bulk SQL paths,
 * so the process never holds more connections than configured.
 */
export function createPool(options: { url: string; size: number; applicationName?: string }): pg.Pool {
  return new pg.Pool({
    connectionString: options.url,
    max: options.size,
    application_name: options.applicationName ?? 'qadaga',
    // Idle connections are closed quickly so short-lived CLI runs exit promptly.
    idleTimeoutMillis: 5_000,
  });
}
