import { Readable } from 'node:stream';
import type pg from 'pg';
import type { Bundle, BundleStatus } from '@qadaga/contracts/api';
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

/** How the bytes of a finished bundle are cut for storage; big enough to stream fast, small enough to never hold a bundle whole. */
export const BUNDLE_CHUNK_BYTES = 1024 * 1024;

/**
 * Evidence bundle requests, their progress, and their bytes. A worker writes the chunks
 * and marks the bundle done in one transaction, so a half-written bundle is never served.
 */
export class BundleRepository {
  constructor(private readonly pool: pg.Pool) {}

  async request(input: { caseId?: string | null; query?: Record<string, unknown> | null; reason: string; requestedBy: string; fileName: string }): Promise<BundleRecord> {
    const { rows } = await this.pool.query<BundleRow>(
      `INSERT INTO evidence_bundle (id, case_id, query, reason, requested_by, file_name) VALUES (gen_random_uuid(), $1, $2, $3, $4, $5) RETURNING *`,
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

  async fail(id: string, error: string): Promise<void> {
    await this.pool.query(`UPDATE evidence_bundle SET status = 'failed', error = $2, finished_at = now() WHERE id = $1 AND status <> 'done'`, [id, error.slice(0, 2_000)]);
  }

  /**
   * Stores a built bundle read from a stream, chunk by chunk, and marks it done. A retry
   * replaces what an earlier, interrupted attempt left (the job is idempotent).
   */
  async complete(id: string, file: Readable, digest: { sha256: string; size: number }, concerns: readonly string[]): Promise<void> {
    await inTransaction(this.pool, async (client) => {
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
