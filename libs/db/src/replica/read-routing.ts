import type pg from 'pg';
import { primaryWalPosition } from './wal-position.js';

/**
 * Where each person's last write is remembered: the primary's WAL position once it
 * committed. Shared by every API process (the API keeps it in Redis), so a person whose
 * next request lands on another process still reads their own write.
 */
export interface WriteMarks {
  get(person: string): Promise<string | null>;
  set(person: string, lsn: string, ttlSeconds: number): Promise<void>;
}

export interface ReadRoutingOptions {
  /**
   * How long a write keeps its author's reads on the primary unless the replica has
   * replayed it sooner; a replica further behind than this is a fault to alarm on, not a
   * lag to hide.
   */
  markSeconds?: number;
}

/**
 * Reads that may come from a streaming replica (lists, profiles) ask here for their pool.
 * A person's reads go to the replica unless it has not yet replayed that person's last
 * write (compared by WAL position: pg_current_wal_lsn on the primary after the write,
 * pg_last_wal_replay_lsn on the replica), then to the primary: nobody sees their own note
 * vanish. Other people may read a moment behind, as from any cache. Without a replica,
 * or when it cannot answer, every read goes to the primary.
 */
export class ReadRouting {
  private readonly markSeconds: number;

  constructor(
    private readonly primary: pg.Pool,
    private readonly replica: pg.Pool | null,
    private readonly marks: WriteMarks,
    options: ReadRoutingOptions = {},
  ) {
    this.markSeconds = options.markSeconds ?? 300;
  }

  get hasReplica(): boolean {
    return this.replica !== null;
  }

  /** After a person's write has committed: the position their reads must see. */
  async noteWrite(person: string): Promise<void> {
    if (this.replica === null) return;
    const lsn = await primaryWalPosition(this.primary);
    if (lsn !== null) await this.marks.set(person, lsn, this.markSeconds);
  }

  /** The pool a person's read runs on (null: nobody in particular, e.g. a public page). */
  async poolFor(person: string | null): Promise<pg.Pool> {
    const replica = this.replica;
    if (replica === null) return this.primary;
    try {
      const mark = person === null ? null : await this.marks.get(person);
      if (mark === null) return replica;
      const { rows } = await replica.query<{ replayed: boolean | null }>('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS replayed', [mark]);
      return rows[0]?.replayed === true ? replica : this.primary;
    } catch {
      // A replica (or the store of marks) that cannot answer must not fail the read.
      return this.primary;
    }
  }
}
