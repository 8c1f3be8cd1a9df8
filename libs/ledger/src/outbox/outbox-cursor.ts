import type pg from 'pg';

/**
 * Reads the events committed since this consumer's cursor on one chain and marks the
 * subjects they touch for evaluation, then moves the cursor, all in one statement and
 * one transaction. The ledger row was committed with the ingest transaction, so this is
 * a transactional outbox without a second table: a crash before the cursor moves
 * replays the same events, and marking a subject twice collapses into one pending row.
 */
const RELAY_CHAIN_SQL = `
WITH cur AS (
  SELECT seq FROM outbox_cursor WHERE consumer = $1 AND chain_id = $2 FOR UPDATE
),
ev AS (
  SELECT e.violation_ref, e.type, e.actor_kind, e.actor_id, e.payload->>'officerId' AS assigned, e.chain_seq
  FROM ledger_event e, cur
  WHERE e.chain_id = $2 AND e.chain_seq > cur.seq
  ORDER BY e.chain_seq LIMIT $3
),
v AS (
  SELECT ref, plate_key, camera_id FROM violation WHERE ref IN (SELECT violation_ref FROM ev)
),
subjects AS (
  SELECT 'violation' AS kind, violation_ref AS id FROM ev
  UNION SELECT 'vehicle', plate_key FROM v WHERE plate_key IS NOT NULL
  UNION SELECT 'camera', camera_id FROM v WHERE camera_id IS NOT NULL
  UNION SELECT 'officer', actor_id FROM ev WHERE actor_kind IN ('officer', 'supervisor')
  UNION SELECT 'officer', assigned FROM ev WHERE assigned IS NOT NULL
  UNION SELECT 'officer_vehicle', ev.actor_id || '|' || v.plate_key FROM ev JOIN v ON v.ref = ev.violation_ref
    WHERE ev.type IN ('rejected', 'cancelled') AND ev.actor_kind IN ('officer', 'supervisor') AND v.plate_key IS NOT NULL
  UNION SELECT 'unit', o.unit FROM ev JOIN officer o ON o.id = ev.actor_id WHERE ev.type = 'cancelled'
),
marked AS (
  INSERT INTO pending_evaluation (subject_kind, subject_id) SELECT kind, id FROM subjects
  ON CONFLICT (subject_kind, subject_id) DO NOTHING RETURNING 1
),
moved AS (
  UPDATE outbox_cursor SET seq = (SELECT max(chain_seq) FROM ev), updated_at = now()
  WHERE consumer = $1 AND chain_id = $2 AND EXISTS (SELECT 1 FROM ev) RETURNING seq
)
SELECT (SELECT count(*) FROM ev) AS events, (SELECT count(*) FROM marked) AS marked
`;

export interface RelayResult {
  events: number;
  marked: number;
}

/** Gives the consumer a cursor at position 0 on every chain it has none on yet. */
export async function ensureOutboxCursors(pool: pg.Pool, consumer: string): Promise<void> {
  await pool.query(
    'INSERT INTO outbox_cursor (consumer, chain_id, seq) SELECT $1, chain_id, 0 FROM ledger_chain ON CONFLICT (consumer, chain_id) DO NOTHING',
    [consumer],
  );
}

/** The chains whose head is past the consumer's cursor. */
export async function chainsBehindCursor(pool: pg.Pool, consumer: string): Promise<string[]> {
  const { rows: chains } = await pool.query<{ chain_id: string }>(
    `SELECT c.chain_id FROM outbox_cursor c JOIN ledger_chain h ON h.chain_id = c.chain_id WHERE c.consumer = $1 AND h.head_seq > c.seq`,
    [consumer],
  );
  return chains.map((c) => c.chain_id);
}

/** Relays at most `limit` events of one chain past the consumer's cursor (see RELAY_CHAIN_SQL). */
export async function relayChain(pool: pg.Pool, consumer: string, chainId: string, limit: number): Promise<RelayResult> {
  const { rows } = await pool.query<{ events: string; marked: string }>(RELAY_CHAIN_SQL, [consumer, chainId, limit]);
  return { events: Number(rows[0]?.events ?? 0), marked: Number(rows[0]?.marked ?? 0) };
}

/** How far behind the consumer is: events committed but not yet relayed. */
export async function outboxLag(pool: pg.Pool, consumer: string): Promise<number> {
  const { rows } = await pool.query<{ lag: string | null }>(
    `SELECT sum(h.head_seq - coalesce(c.seq, 0)) AS lag FROM ledger_chain h
     LEFT JOIN outbox_cursor c ON c.chain_id = h.chain_id AND c.consumer = $1`,
    [consumer],
  );
  return Number(rows[0]?.lag ?? 0);
}
