import type pg from 'pg';
import { inTransaction } from '../transaction.js';

/** A query run inside the superuser's transaction, answering its rows. */
export type SuperuserSql<Row> = (text: string, params?: unknown[]) => Promise<Row[]>;

/**
 * Runs SQL as a database superuser does it: in one transaction with every trigger, the
 * append-only ones included, switched off. The attacks on the ledger and the access log
 * that the verifiers and the checkpoint signer must name are written with it.
 */
export async function asSuperuser<Row extends pg.QueryResultRow>(pool: pg.Pool, work: (sql: SuperuserSql<Row>) => Promise<void>): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query('SET LOCAL session_replication_role = replica');
    await work(async (text, params = []) => (await client.query<Row>(text, params)).rows);
  });
}
