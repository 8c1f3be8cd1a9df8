import type pg from 'pg';
import { primaryWalPosition } from './wal-position.js';

/** Where a batch of reads ran. */
export type ReadSide = 'replica' | 'primary';

export interface ReadsAt {
  pool: pg.Pool;
  on: ReadSide;
}

export interface ReplicaCatchUpOptions {
  /** How long to wait for the replica to replay a position before reading the primary instead. */
  waitMs: number;
  /** How often the replica is asked how far it has replayed while waiting. */
  pollMs?: number;
  /** Told why reads went to the primary although a replica is configured. */
  log?: (message: string) => void;
}

/** Why the replica will not serve reads that must see `position`, or null once it can. */
type Verdict = { ready: true } | { ready: false; reason: string; final: boolean };

/**
 * Reads that must see everything the primary held at one moment, such as the facts of a
 * sweep or a backtest, which judge the history up to an instant fixed from the primary:
 * the primary's WAL position is taken at that moment (pg_current_wal_lsn), and the reads
 * go to the replica once it has replayed up to it (pg_last_wal_replay_lsn), waited for at
 * most `waitMs`. A replica that is further behind, stopped, unreachable or no longer a
 * standby sends the reads to the primary, and the log says so: the answer is then the one
 * the primary alone gives, only the load is not moved. Without a replica every read is on
 * the primary and nothing is waited for.
 */
export class ReplicaCatchUp {
  private readonly waitMs: number;
  private readonly pollMs: number;
  private readonly log: (message: string) => void;

  constructor(
    private readonly primary: pg.Pool,
    private readonly replica: pg.Pool | null,
    options: ReplicaCatchUpOptions,
  ) {
    this.waitMs = options.waitMs;
    this.pollMs = options.pollMs ?? 100;
    this.log = options.log ?? (() => undefined);
  }

  get hasReplica(): boolean {
    return this.replica !== null;
  }

  /** The primary's WAL position now, for reads to wait for later; null without a replica (nothing to wait for). */
  async position(): Promise<string | null> {
    if (this.replica === null) return null;
    return primaryWalPosition(this.primary);
  }

  /**
   * The replica once it has replayed `position` (waiting at most the configured time),
   * else the primary; `what` names the reads in the log line a fallback writes. A null
   * position reads the primary: nothing was taken to wait for.
   */
  async at(position: string | null, what: string): Promise<ReadsAt> {
    const replica = this.replica;
    if (replica === null || position === null) return { pool: this.primary, on: 'primary' };
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      const verdict = await this.probe(replica, position, deadline);
      if (verdict.ready) return { pool: replica, on: 'replica' };
      if (verdict.final || Date.now() >= deadline) {
        this.log(`${what}: read on the primary, ${verdict.reason}`);
        return { pool: this.primary, on: 'primary' };
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(this.pollMs, Math.max(0, deadline - Date.now()))));
    }
  }

  /** The primary's position now, then `at` it: reads that must see everything committed before they began. */
  async now(what: string): Promise<ReadsAt> {
    return this.at(await this.position(), what);
  }

  private async probe(replica: pg.Pool, position: string, deadline: number): Promise<Verdict> {
    // A replica that does not answer (a host gone quiet rather than refusing) must not hold
    // the reads past their deadline: the probe gives up with it.
    const left = Math.max(deadline - Date.now(), this.pollMs);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), left);
    });
    try {
      const answer = await Promise.race([
        replica.query<{ standby: boolean; replayed: string | null; caught_up: boolean | null }>(
          'SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn()::text AS replayed, pg_last_wal_replay_lsn() >= $1::pg_lsn AS caught_up',
          [position],
        ),
        timeout,
      ]);
      if (answer === 'timeout') return { ready: false, reason: `the replica did not answer within ${this.waitMs} ms`, final: true };
      const row = answer.rows[0];
      // A promoted replica has a history of its own from then on: it is not the primary's copy.
      if (row?.standby !== true) return { ready: false, reason: 'READ_DATABASE_URL is not a standby in recovery', final: true };
      if (row.caught_up === true) return { ready: true };
      return { ready: false, reason: `the replica had replayed ${row.replayed ?? 'nothing'} of ${position} after ${this.waitMs} ms`, final: false };
    } catch (error) {
      return { ready: false, reason: `the replica cannot be read (${error instanceof Error ? error.message : String(error)})`, final: true };
    } finally {
      clearTimeout(timer);
    }
  }
}
