import type pg from 'pg';
import { SUBJECT_KINDS, type SubjectKind } from '@qadaga/domain';
import { claimPendingSubjects } from '@qadaga/ledger';
import type { EvaluationReport, RuleRunner } from './rule-runner.js';

/**
 * Claims subjects marked pending and evaluates them. The claim (a DELETE of the pending
 * rows) stays open in its own transaction until the flags are stored: if the worker dies
 * or the evaluation fails, the transaction rolls back and the subjects are pending
 * again. Storing flags is idempotent, so a replay raises nothing twice. SKIP LOCKED lets
 * several workers drain the same table without waiting on each other.
 */
export async function evaluatePending(pool: pg.Pool, runner: RuleRunner, options: { limit?: number; asOf?: Date } = {}): Promise<EvaluationReport & { claimed: number }> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const rows = await claimPendingSubjects(client, options.limit ?? 2_000);
    if (rows.length === 0) {
      await client.query('COMMIT');
      return { claimed: 0, rules: 0, subjects: 0, fired: 0, raised: 0, refreshed: 0, invalid: [] };
    }
    const selection = new Map<SubjectKind, string[]>();
    for (const row of rows) {
      if (!(SUBJECT_KINDS as readonly string[]).includes(row.subject_kind)) continue;
      const kind = row.subject_kind as SubjectKind;
      selection.set(kind, [...(selection.get(kind) ?? []), row.subject_id]);
    }
    const report = await runner.evaluate({ asOf: options.asOf ?? new Date(), selection });
    await client.query('COMMIT');
    return { ...report, claimed: rows.length };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
