import { Readable } from 'node:stream';
import type pg from 'pg';
import type { Bundle, BundleListItem, BundleStatus } from '@qadaga/contracts/api';
import { inTransaction } from '../transaction.js';

export type { BundleStatus } from '@qadaga/contracts/api';

/** A bundle as the API answers it, with what only the server reads: the query it was asked for and whom its flags concern. */
export interface BundleRecord extends Bundle {
  query: Record<string, unknown> | null;
  /** Officer ids and units the bundle's flags are about, known once it is done (recusal). */
  concerns: string[];
}

interface BundleRow {
  id: string; case_id: string | null; query: Record<string, unknown> | null; reason: string; requested_by: string; status: BundleStatus;
  progress: number; file_name: string; sha256: string | null; size: string | null; error: string | null; created_at: Date; finished_at: Date | null;
  concerns: string[] | null;
}

const toRecord = (r: BundleRow): BundleRecord => ({
  id: r.id,
  caseId: r.case_id,
  query: r.query,
  reason: r.reason,
  requestedBy: r.requested_by,
  status: r.status,
  progress: r.progress,
  fileName: r.file_name,
  sha256: r.sha256,
  size: r.size === null ? null : Number(r.size),
  error: r.error,
  createdAt: r.created_at.toISOString(),
  finishedAt: r.finished_at?.toISOString() ?? null,
  concerns: r.concerns ?? [],
});

/** Who builds bundles, as a case's timeline names the worker. */
export const BUNDLE_WORKER_ACTOR = 'system:evidence-worker';

/** A display name for a principal id ("user:<uuid>"), when it is a user. */
const NAME_OF = (column: string) => `(SELECT u.display_name FROM app_user u WHERE 'user:' || u.id::text = ${column})`;

/** How the bytes of a finished bundle are cut for storage; big enough to stream fast, small enough to never hold a bundle whole. */
export const BUNDLE_CHUNK_BYTES = 1024 * 1024;

/**
 * Evidence bundle requests, their progress, and their bytes. A worker writes the chunks
 * and marks the bundle done in one transaction, so a half-written bundle is never served.
 */
export class BundleRepository {
  constructor(private readonly pool: pg.Pool) {}

  /** A new bundle request; a case's bundle is written to the case's timeline in the same statement. */
  async request(input: { caseId?: string | null; query?: Record<string, unknown> | null; reason: string; requestedBy: string; fileName: string }): Promise<BundleRecord> {
    const { rows } = await this.pool.query<BundleRow>(
      `WITH b AS (INSERT INTO evidence_bundle (id, case_id, query, reason, requested_by, file_name) VALUES (gen_random_uuid(), $1, $2, $3, $4, $5) RETURNING *),
            e AS (INSERT INTO case_event (case_id, actor, action, details)
                  SELECT case_id, requested_by, 'bundle_requested', json_build_object('bundleId', id, 'reason', reason, 'fileName', file_name) FROM b WHERE case_id IS NOT NULL)
       SELECT * FROM b`,
      [input.caseId ?? null, input.query === undefined || input.query === null ? null : JSON.stringify(input.query), input.reason, input.requestedBy, input.fileName],
    );
    return toRecord(rows[0] as BundleRow);
  }

  /** Several bundles in one round trip; unknown ids are left out. */
  async getMany(ids: readonly string[]): Promise<BundleRecord[]> {
    if (ids.length === 0) return [];
    const { rows } = await this.pool.query<BundleRow>('SELECT * FROM evidence_bundle WHERE id = ANY($1::uuid[])', [ids]);
    return rows.map(toRecord);
  }

  async get(id: string): Promise<BundleRecord | null> {
    const { rows } = await this.pool.query<BundleRow>('SELECT * FROM evidence_bundle WHERE id = $1', [id]);
    return rows[0] === undefined ? null : toRecord(rows[0]);
  }

  async listForCase(caseId: string): Promise<BundleRecord[]> {
    const { rows } = await this.pool.query<BundleRow>('SELECT * FROM evidence_bundle WHERE case_id = $1 ORDER BY created_at DESC', [caseId]);
    return rows.map(toRecord);
  }

  async progress(id: string, status: BundleStatus, progress: number): Promise<void> {
    await this.pool.query(`UPDATE evidence_bundle SET status = $2, progress = $3 WHERE id = $1 AND status <> 'done'`, [id, status, Math.max(0, Math.min(100, Math.round(progress)))]);
  }

  /** Marks the bundle failed; a case's timeline gets the failure once, when the status changes. */
  async fail(id: string, error: string): Promise<void> {
    await this.pool.query(
      `WITH f AS (UPDATE evidence_bundle b SET status = 'failed', error = $2, finished_at = now()
                  FROM (SELECT id, status AS before FROM evidence_bundle WHERE id = $1 FOR UPDATE) old
                  WHERE b.id = old.id AND b.status <> 'done' RETURNING b.id, b.case_id, b.file_name, old.before)
       INSERT INTO case_event (case_id, actor, action, details)
       SELECT case_id, $3, 'bundle_failed', json_build_object('bundleId', id, 'fileName', file_name, 'error', left($2, 500)) FROM f WHERE case_id IS NOT NULL AND before <> 'failed'`,
      [id, error.slice(0, 2_000), BUNDLE_WORKER_ACTOR],
    );
  }

  /** A download of a case's bundle, on the case's timeline (the access log has every download). */
  async recordDownload(bundle: BundleRecord, actor: string): Promise<void> {
    if (bundle.caseId === null) return;
    await this.pool.query(`INSERT INTO case_event (case_id, actor, action, details) VALUES ($1, $2, 'bundle_downloaded', $3)`, [
      bundle.caseId,
      actor,
      JSON.stringify({ bundleId: bundle.id, fileName: bundle.fileName, sha256: bundle.sha256 }),
    ]);
  }

  /**
   * Bundles newest first, optionally of one case, with the requester's display name and
   * the case's number; the caller withholds what the reader is recused from.
   */
  async list(filter: { caseId?: string; limit: number; offset: number }): Promise<(BundleRecord & Pick<BundleListItem, 'requestedByName' | 'caseNumber'>)[]> {
    const { rows } = await this.pool.query<BundleRow & { requested_by_name: string | null; case_number: string | null }>(
      `SELECT b.*, ${NAME_OF('b.requested_by')} AS requested_by_name, c.number AS case_number
       FROM evidence_bundle b LEFT JOIN case_file c ON c.id = b.case_id
       WHERE ($1::uuid IS NULL OR b.case_id = $1) ORDER BY b.created_at DESC, b.id LIMIT $2 OFFSET $3`,
      [filter.caseId ?? null, filter.limit, filter.offset],
    );
    return rows.map((r) => ({ ...toRecord(r), requestedByName: r.requested_by_name, caseNumber: r.case_number }));
  }

  /**
   * Stores a built bundle read from a stream, chunk by chunk, and marks it done. A retry
   * replaces what an earlier, interrupted attempt left (the job is idempotent).
   */
  async complete(id: string, file: Readable, digest: { sha256: string; size: number }, concerns: readonly string[]): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      const before = await client.query<{ status: BundleStatus; case_id: string | null; file_name: string }>('SELECT status, case_id, file_name FROM evidence_bundle WHERE id = $1 FOR UPDATE', [id]);
      await client.query('DELETE FROM evidence_bundle_chunk WHERE bundle_id = $1', [id]);
      let n = 0;
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      const flush = async () => {
        if (pendingBytes === 0) return;
        await client.query('INSERT INTO evidence_bundle_chunk (bundle_id, n, data) VALUES ($1, $2, $3)', [id, n, Buffer.concat(pending, pendingBytes)]);
        n += 1;
        pending = [];
        pendingBytes = 0;
      };
      for await (const chunk of file) {
        const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
        pending.push(buffer);
        pendingBytes += buffer.length;
        if (pendingBytes >= BUNDLE_CHUNK_BYTES) await flush();
      }
      await flush();
      await client.query(`UPDATE evidence_bundle SET status = 'done', progress = 100, sha256 = $2, size = $3, error = NULL, finished_at = now(), concerns = $4 WHERE id = $1`, [
        id,
        digest.sha256,
        digest.size,
        [...new Set(concerns)].sort(),
      ]);
      // The case's timeline says the bundle was built once, however often a retry stores it.
      const was = before.rows[0];
      if (was !== undefined && was.case_id !== null && was.status !== 'done') {
        await client.query(`INSERT INTO case_event (case_id, actor, action, details) VALUES ($1, $2, 'bundle_built', $3)`, [
          was.case_id,
          BUNDLE_WORKER_ACTOR,
          JSON.stringify({ bundleId: id, fileName: was.file_name, sha256: digest.sha256, size: digest.size }),
        ]);
      }
    });
  }

  /** The bundle's bytes as a stream, one chunk in memory at a time. */
  open(id: string): Readable {
    const pool = this.pool;
    async function* chunks(): AsyncGenerator<Buffer> {
      for (let n = 0; ; n++) {
        const { rows } = await pool.query<{ data: Buffer }>('SELECT data FROM evidence_bundle_chunk WHERE bundle_id = $1 AND n = $2', [id, n]);
        const row = rows[0];
        if (row === undefined) return;
        yield row.data;
      }
    }
    return Readable.from(chunks());
  }
}
