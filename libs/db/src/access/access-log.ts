import type pg from 'pg';
import canonicalize from 'canonicalize';
import { GENESIS_HASH, chainLink, sha256Hex } from '@qadaga/domain/hashing';

export type AccessSubjectKind =
  | 'plate' | 'officer' | 'vehicle' | 'camera' | 'violation' | 'ledger' | 'export' | 'rule' | 'case' | 'flag' | 'user' | 'pseudonym' | 'place' | 'search' | 'unit';

export interface AccessRecord {
  principal: string;
  roles: readonly string[];
  action: string;
  subjectKind: AccessSubjectKind;
  subjectId: string;
  reason?: string;
  details?: Record<string, unknown>;
}

/** An access-log row as stored, with its place in the chain. */
export interface AccessLogRow {
  id: string;
  at: string;
  principal: string;
  roles: string[];
  action: string;
  subjectKind: string;
  subjectId: string;
  reason: string | null;
  details: Record<string, unknown> | null;
  lane: number | null;
  seq: string | null;
  contentHash: string | null;
  chainHash: string | null;
}

/** Lanes of the access-log chain: readers log side by side instead of queueing on one row lock. */
export const ACCESS_LOG_LANES = 4;

/** The exact text hashed for a row: every recorded field, nothing derived. */
export function accessLogContentHash(row: Pick<AccessLogRow, 'at' | 'principal' | 'roles' | 'action' | 'subjectKind' | 'subjectId' | 'reason' | 'details'>): string {
  const text = canonicalize({
    at: row.at,
    principal: row.principal,
    roles: row.roles,
    action: row.action,
    subjectKind: row.subjectKind,
    subjectId: row.subjectId,
    reason: row.reason,
    details: row.details,
  });
  if (text === undefined) throw new Error('access record cannot be canonicalised');
  return sha256Hex(text);
}

interface LaneHead {
  lane: number;
  head_seq: string;
  head_hash: string;
}

interface PendingRecord {
  row: Omit<AccessLogRow, 'id' | 'lane' | 'seq' | 'contentHash' | 'chainHash'>;
  contentHash: string;
  resolve(): void;
  reject(error: unknown): void;
}

const INSERT_ROWS = `INSERT INTO access_log (at, principal, roles, action, subject_kind, subject_id, reason, details, lane, seq, content_hash, chain_hash)
  SELECT at, principal, roles::text[], action, subject_kind, subject_id, reason, details, lane, seq, content_hash, chain_hash
  FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[], $9::int[], $10::bigint[], $11::text[], $12::text[])
    AS u(at, principal, roles, action, subject_kind, subject_id, reason, details, lane, seq, content_hash, chain_hash)`;

/** The group's rows linked one after another from a lane's head, as the twelve column arrays INSERT_ROWS takes. */
function chainGroup(group: PendingRecord[], lane: number, headSeq: bigint, headHash: string): { columns: unknown[][]; seq: bigint; hash: string } {
  let seq = headSeq;
  let previous = headHash;
  const columns: unknown[][] = [[], [], [], [], [], [], [], [], [], [], [], []];
  for (const { row, contentHash } of group) {
    seq += 1n;
    previous = chainLink(seq, previous, contentHash);
    const values = [row.at, row.principal, `{${row.roles.map((r) => JSON.stringify(r)).join(',')}}`, row.action, row.subjectKind, row.subjectId, row.reason,
      row.details === null ? null : JSON.stringify(row.details), lane, seq.toString(), contentHash, previous];
    values.forEach((v, i) => (columns[i] as unknown[]).push(v));
  }
  return { columns, seq, hash: previous };
}

/** Most records one transaction writes; a busier moment simply takes more transactions. */
const MAX_GROUP = 500;

/**
 * Every read of personal data, export, rule change and case action is written down
 * before the answer is returned: if the record cannot be written, the request fails.
 * Rows are hash-chained like the ledger, so deleting or editing one is detectable.
 *
 * Records that arrive together are committed together (group commit): each caller still
 * waits for its own row to be durable, but fifty readers at once cost one transaction on
 * one lane instead of fifty queued on the lanes' row locks.
 */
export class AccessLogRepository {
  private pending: PendingRecord[] = [];
  private flushScheduled = false;
  /** Groups being written now; drain() waits for them before the pool may close. */
  private readonly inFlight = new Set<Promise<void>>();
  /**
   * The head this process last left on each lane. Only a guess (other processes write to
   * the same lanes): a write built on it checks it in the database and falls back to
   * locking the lane when it has moved, so a stale guess costs a round trip, never a link.
   */
  private readonly knownHeads = new Map<number, { seq: bigint; hash: string }>();
  /** Lanes this process is extending right now: two of its own groups never race for one. */
  private readonly writing = new Set<number>();

  constructor(private readonly pool: pg.Pool) {}

  record(entry: AccessRecord): Promise<void> {
    // Milliseconds, as stored: the hash must be recomputable from the row.
    const row = {
      at: new Date().toISOString(),
      principal: entry.principal,
      roles: [...entry.roles],
      action: entry.action,
      subjectKind: entry.subjectKind,
      subjectId: entry.subjectId,
      reason: entry.reason ?? null,
      // Through JSON so the hash covers exactly what jsonb will give back (no undefined, no Dates).
      details: entry.details === undefined ? null : (JSON.parse(JSON.stringify(entry.details)) as Record<string, unknown>),
    };
    const contentHash = accessLogContentHash(row);
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ row, contentHash, resolve, reject });
      this.scheduleFlush();
    });
  }

  /**
   * Resolves once every record asked for so far is written (or has failed): a process
   * shutting down calls it before closing its pool, so no reader's record is lost to
   * "Cannot use a pool after calling end on the pool".
   */
  async drain(): Promise<void> {
    while (this.pending.length > 0 || this.inFlight.size > 0 || this.flushScheduled) {
      if (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
      else await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      const run = this.flush();
      this.inFlight.add(run);
      void run.finally(() => this.inFlight.delete(run)).catch(() => undefined);
    });
  }

  private async flush(): Promise<void> {
    this.flushScheduled = false;
    const group = this.pending.splice(0, MAX_GROUP);
    if (this.pending.length > 0) this.scheduleFlush();
    if (group.length === 0) return;
    try {
      await this.writeGroup(group);
      for (const p of group) p.resolve();
    } catch (error) {
      for (const p of group) p.reject(error);
    }
  }

  private async writeGroup(group: PendingRecord[]): Promise<void> {
    const lane = this.idleKnownLane();
    if (lane !== undefined) {
      this.writing.add(lane);
      try {
        if (await this.appendAtKnownHead(lane, group)) return;
      } finally {
        this.writing.delete(lane);
      }
    }
    await this.appendUnderLock(group);
  }

  /** A lane whose head this process knows and is not extending right now, picked at random. */
  private idleKnownLane(): number | undefined {
    const idle = [...this.knownHeads.keys()].filter((lane) => !this.writing.has(lane));
    return idle[Math.floor(Math.random() * idle.length)];
  }

  /**
   * The group chained onto the head this process last left on the lane, in one statement
   * (one round trip, one commit): the head moves only if it is still the one the links
   * were computed from, and the rows are inserted only if it moved. Another process that
   * extended the lane meanwhile makes it a no-op (false), and the caller takes the lock.
   */
  private async appendAtKnownHead(lane: number, group: PendingRecord[]): Promise<boolean> {
    const known = this.knownHeads.get(lane);
    if (known === undefined) return false;
    const { columns, seq, hash } = chainGroup(group, lane, known.seq, known.hash);
    const result = await this.pool.query(
      `WITH moved AS (
         UPDATE access_log_chain SET head_seq = $13, head_hash = $14 WHERE lane = $15 AND head_seq = $16 AND head_hash = $17 RETURNING lane
       )
       ${INSERT_ROWS} WHERE EXISTS (SELECT 1 FROM moved)`,
      [...columns, seq.toString(), hash, lane, known.seq.toString(), known.hash],
    );
    if (result.rowCount !== group.length) {
      this.knownHeads.delete(lane);
      return false;
    }
    this.knownHeads.set(lane, { seq, hash });
    return true;
  }

  /** The group chained onto a lane locked for it: the way in when no head is known or the known one has moved. */
  private async appendUnderLock(group: PendingRecord[]): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const head = await this.lockLane(client);
      const { columns, seq, hash } = chainGroup(group, head.lane, BigInt(head.head_seq), head.head_hash);
      await client.query(INSERT_ROWS, columns);
      await client.query('UPDATE access_log_chain SET head_seq = $2, head_hash = $3 WHERE lane = $1', [head.lane, seq.toString(), hash]);
      await client.query('COMMIT');
      this.knownHeads.set(head.lane, { seq, hash });
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** The rows about one subject (a case's own access log goes into its evidence bundle). */
  async forSubject(subjectKind: AccessSubjectKind, subjectId: string, limit = 10_000): Promise<AccessLogRow[]> {
    const { rows } = await this.pool.query<AccessLogDbRow>(
      `SELECT ${ACCESS_LOG_COLUMNS} FROM access_log WHERE subject_kind = $1 AND subject_id = $2 ORDER BY id LIMIT $3`,
      [subjectKind, subjectId, limit],
    );
    return rows.map(fromDb);
  }

  /** The heads of every lane, for signed checkpoints. */
  async heads(): Promise<{ lane: number; seq: string; hash: string }[]> {
    const { rows } = await this.pool.query<LaneHead>('SELECT lane, head_seq, head_hash FROM access_log_chain ORDER BY lane');
    return rows.map((r) => ({ lane: r.lane, seq: r.head_seq, hash: r.head_hash }));
  }

  private async lockLane(client: pg.PoolClient): Promise<LaneHead> {
    const free = await this.lockFreeLane(client);
    if (free !== undefined) return free;
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM access_log_chain');
    if (rows[0]?.n !== String(ACCESS_LOG_LANES)) {
      // Outside the caller's transaction, so concurrent first writers do not queue behind one uncommitted insert.
      await this.pool.query(
        `INSERT INTO access_log_chain (lane, head_seq, head_hash) SELECT lane, 0, $2 FROM generate_series(0, $1::int - 1) AS lane ON CONFLICT (lane) DO NOTHING`,
        [ACCESS_LOG_LANES, GENESIS_HASH],
      );
      const created = await this.lockFreeLane(client);
      if (created !== undefined) return created;
    }
    // Every lane is busy: queue behind a random one rather than all behind the first.
    const waited = await client.query<LaneHead>('SELECT lane, head_seq, head_hash FROM access_log_chain WHERE lane = $1 FOR UPDATE', [Math.floor(Math.random() * ACCESS_LOG_LANES)]);
    const lane = waited.rows[0];
    if (lane === undefined) throw new Error('access log has no chain lanes');
    return lane;
  }

  private async lockFreeLane(client: pg.PoolClient): Promise<LaneHead | undefined> {
    // A random start spreads writers over the lanes instead of all trying lane 0 first.
    const { rows } = await client.query<LaneHead>(
      'SELECT lane, head_seq, head_hash FROM access_log_chain ORDER BY (lane + $1) % $2 LIMIT 1 FOR UPDATE SKIP LOCKED',
      [Math.floor(Math.random() * ACCESS_LOG_LANES), ACCESS_LOG_LANES],
    );
    return rows[0];
  }
}

interface AccessLogDbRow {
  id: string;
  at: Date;
  principal: string;
  roles: string[];
  action: string;
  subject_kind: string;
  subject_id: string;
  reason: string | null;
  details: Record<string, unknown> | null;
  lane: number | null;
  seq: string | null;
  content_hash: string | null;
  chain_hash: string | null;
}

export const ACCESS_LOG_COLUMNS = 'id, at, principal, roles, action, subject_kind, subject_id, reason, details, lane, seq, content_hash, chain_hash';

export function fromDb(r: AccessLogDbRow): AccessLogRow {
  return {
    id: r.id,
    at: r.at.toISOString(),
    principal: r.principal,
    roles: r.roles,
    action: r.action,
    subjectKind: r.subject_kind,
    subjectId: r.subject_id,
    reason: r.reason,
    details: r.details,
    lane: r.lane,
    seq: r.seq,
    contentHash: r.content_hash,
    chainHash: r.chain_hash,
  };
}
export type { AccessLogDbRow };
