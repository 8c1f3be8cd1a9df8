import type pg from 'pg';
import { createPool } from '../pool.js';

/**
 * The pool of a streaming replica (READ_DATABASE_URL). A replica that stops or restarts
 * ends its idle connections, and pg reports that as an 'error' event on the pool, which,
 * with nobody listening, ends the process. Reads fall back to the primary when the replica
 * cannot answer (ReadRouting, ReplicaCatchUp), so here that event is only told to `log`.
 */
export function createReplicaPool(options: { url: string; size: number; applicationName: string; log: (message: string) => void }): pg.Pool {
  const pool = createPool(options);
  pool.on('error', (error) => options.log(`an idle connection to the replica ended: ${error.message}`));
  return pool;
}

/** The replica's pool when one is configured (`url`, from READ_DATABASE_URL), else null: every read then goes to the primary. */
export function replicaPoolIfConfigured(options: { url: string | null; size: number; applicationName: string; log: (message: string) => void }): pg.Pool | null {
  return options.url === null ? null : createReplicaPool({ ...options, url: options.url });
}
