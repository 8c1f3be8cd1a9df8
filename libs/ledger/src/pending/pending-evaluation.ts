import type pg from 'pg';

export interface PendingSubject {
  subject_kind: string;
  subject_id: string;
}

/**
 * Claims up to `limit` subjects marked pending, oldest first, by deleting their rows on
 * the caller's connection: the claim lasts as long as the caller's transaction, so a
 * rollback makes the subjects pending again. SKIP LOCKED lets several workers drain the
 * same table without waiting on each other.
 */
export async function claimPendingSubjects(client: pg.PoolClient, limit: number): Promise<PendingSubject[]> {
  const { rows } = await client.query<PendingSubject>(
    `DELETE FROM pending_evaluation WHERE (subject_kind, subject_id) IN (
       SELECT subject_kind, subject_id FROM pending_evaluation ORDER BY since LIMIT $1 FOR UPDATE SKIP LOCKED)
     RETURNING subject_kind, subject_id`,
    [limit],
  );
  return rows;
}
