import type pg from 'pg';
import { chainsBehindCursor, ensureOutboxCursors, outboxLag as ledgerOutboxLag, relayChain, type RelayResult } from '@qadaga/ledger';

export type { RelayResult };

export const EVALUATION_CONSUMER = 'evaluation';

/**
 * Marks the subjects touched by the events committed since the consumer's cursors, one
 * chain at a time and at most `limitPerChain` events per chain per call. Each chain's
 * events are relayed and its cursor moved in one statement and one transaction (the SQL
 * lives with the ledger's tables: `relayChain` in @qadaga/ledger), so this is a
 * transactional outbox without a second table.
 */
export async function relayOutbox(pool: pg.Pool, options: { consumer?: string; limitPerChain?: number } = {}): Promise<RelayResult> {
  const consumer = options.consumer ?? EVALUATION_CONSUMER;
  const limit = options.limitPerChain ?? 5_000;
  await ensureOutboxCursors(pool, consumer);
  const chains = await chainsBehindCursor(pool, consumer);
  const total: RelayResult = { events: 0, marked: 0 };
  for (const chainId of chains) {
    const relayed = await relayChain(pool, consumer, chainId, limit);
    total.events += relayed.events;
    total.marked += relayed.marked;
  }
  return total;
}

/** How far behind the consumer is: events committed but not yet relayed. */
export async function outboxLag(pool: pg.Pool, consumer = EVALUATION_CONSUMER): Promise<number> {
  return ledgerOutboxLag(pool, consumer);
}
