import type { PoolClient } from 'pg';
import type { StoredCheckpoint } from '@qadaga/db';

/** One archived month as ledger_archive holds it. */
export interface ArchiveRecord {
  month: string;
  from: string;
  to: string;
  /** Every chain's last position before the month, signed like a checkpoint. */
  startCheckpoint: StoredCheckpoint;
  /** Every chain's last position at the month's end, signed like a checkpoint. */
  endCheckpoint: StoredCheckpoint;
  rows: number;
  fileName: string;
  fileSha256: string;
  partitionName: string | null;
  detachedAt: string | null;
  partitionDropped: boolean;
  archivedAt: string;
}

interface ArchiveRow {
  month: string;
  from_at: Date;
  to_at: Date;
  start_checkpoint: StoredCheckpoint;
  end_checkpoint: StoredCheckpoint;
  rows: string;
  file_name: string;
  file_sha256: string;
  partition_name: string | null;
  detached_at: Date | null;
  partition_dropped: boolean;
  archived_at: Date;
}

const toRecord = (r: ArchiveRow): ArchiveRecord => ({
  month: r.month,
  from: r.from_at.toISOString(),
  to: r.to_at.toISOString(),
  startCheckpoint: r.start_checkpoint,
  endCheckpoint: r.end_checkpoint,
  rows: Number(r.rows),
  fileName: r.file_name,
  fileSha256: r.file_sha256,
  partitionName: r.partition_name,
  detachedAt: r.detached_at?.toISOString() ?? null,
  partitionDropped: r.partition_dropped,
  archivedAt: r.archived_at.toISOString(),
});

/** Every archived month, oldest first. */
export async function readArchiveRecords(client: Pick<PoolClient, 'query'>): Promise<ArchiveRecord[]> {
  const { rows } = await client.query<ArchiveRow>('SELECT * FROM ledger_archive ORDER BY from_at');
  return rows.map(toRecord);
}

/**
 * Records a month's export; a month exported again while its rows are still live replaces
 * its record (the newer file is the one to keep). A detached month is never replaced: its
 * rows are gone, and its record is what the live chain resumes from.
 */
export async function storeArchiveRecord(
  client: Pick<PoolClient, 'query'>,
  r: Pick<ArchiveRecord, 'month' | 'from' | 'to' | 'startCheckpoint' | 'endCheckpoint' | 'rows' | 'fileName' | 'fileSha256'>,
): Promise<ArchiveRecord> {
  const { rows } = await client.query<ArchiveRow>(
    `INSERT INTO ledger_archive (month, from_at, to_at, start_checkpoint, end_checkpoint, rows, file_name, file_sha256)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (month) DO UPDATE SET start_checkpoint = EXCLUDED.start_checkpoint, end_checkpoint = EXCLUDED.end_checkpoint,
       rows = EXCLUDED.rows, file_name = EXCLUDED.file_name, file_sha256 = EXCLUDED.file_sha256, archived_at = now()
       WHERE ledger_archive.detached_at IS NULL
     RETURNING *`,
    [r.month, r.from, r.to, JSON.stringify(r.startCheckpoint), JSON.stringify(r.endCheckpoint), r.rows, r.fileName, r.fileSha256],
  );
  const row = rows[0];
  if (row === undefined) throw new Error(`ledger_archive: ${r.month} was already detached; its record stays as it is`);
  return toRecord(row);
}

export async function markArchiveDetached(client: Pick<PoolClient, 'query'>, month: string, partitionName: string, dropped: boolean): Promise<void> {
  await client.query('UPDATE ledger_archive SET partition_name = $2, detached_at = now(), partition_dropped = $3 WHERE month = $1', [month, partitionName, dropped]);
}
