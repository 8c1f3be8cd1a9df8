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

/**
 * How many subjects wait for evaluation. A claim deletes rows inside its transaction, so
 * other connections keep counting a claimed subject until its flags are stored: zero
 * means every marked subject has been evaluated and its flags committed.
 */
export async function pendingSubjectCount(db: Pick<pg.Pool, 'query'>): Promise<number> {
  const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM pending_evaluation');
  return Number(rows[0]?.n ?? 0);
}

/**
 * Forgets which subjects wait and how far the consumers have read, so that the ledger is
 * relayed again from its start; flags are left alone. For scoring runs on a database of
 * their own, never on a live register.
 */
export async function resetEvaluationProgress(pool: Pick<pg.Pool, 'query'>): Promise<void> {
  await pool.query('TRUNCATE pending_evaluation, outbox_cursor');
}

/** Drops every subject waiting for evaluation (a scoring run evaluates by sweeps instead). */
export async function clearPendingSubjects(pool: Pick<pg.Pool, 'query'>): Promise<void> {
  await pool.query('TRUNCATE pending_evaluation');
}
