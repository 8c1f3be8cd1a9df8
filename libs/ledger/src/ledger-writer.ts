import type { Pool, PoolClient } from 'pg';
import type { LifecycleEvent } from '@qadaga/domain';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { GENESIS_HASH, canonicalEventForm, chainLink } from '@qadaga/domain/hashing';
import { CONFLICT_MESSAGE, type IngestOutcome } from '@qadaga/contracts';
import { projectAppended, projectBatch, type BatchProjection } from './violation-projection.js';
import { prepareEvent, type PreparedEvent } from './ingest-check.js';
import { LEDGER_COPY_COLUMNS, eventFromCopyRowTail, ledgerCopyData } from './copy-row.js';
import { MissingTimePartitionError, isMissingPartition } from './partitions/time-partitions.js';

/** One validated event and its position in the caller's request. */
export interface IndexedEvent {
  index: number;
  event: LifecycleEvent;
}

export interface WriteResult {
  outcomes: IngestOutcome[];
  /** Violations whose timeline changed. */
  violations: number;
}

interface LaneHead {
  chain_id: string;
  head_seq: string;
  head_hash: string;
}

type Prepared = PreparedEvent;

/**
 * Appends events to the ledger. Each source writes its own few hash chains (lanes); a
 * write holds one lane's head row lock, so every chain is strictly ordered while
 * sources, and concurrent requests of one source, write in parallel. Everything a call accepts is committed, and
 * its violations re-projected, before it returns: accepted means durable.
 */
export class LedgerWriter {
  /** Sources whose last writes carried events the ledger held already (re-sent or re-loaded feeds). */
  private readonly sourcesSendingKnownEvents = new Set<string>();

  constructor(
    private readonly pool: Pool,
    private readonly lanesPerSource = DEFAULT_LANES_PER_SOURCE,
  ) {}

  async write(events: readonly IndexedEvent[]): Promise<WriteResult> {
    return this.writePrepared({ events: events.map((item) => prepareEvent(item.index, item.event)), projections: projectBatch(events) });
  }

  /**
   * Events whose canonical form, content hash and row were made already (by the ingest
   * pipeline's threads), with the projection rows of their violations derived from
   * `events` alone, in this order (see projectBatch).
   */
  async writePrepared(batch: { events: readonly PreparedEvent[]; projections: readonly BatchProjection[] }): Promise<WriteResult> {
    const bySource = new Map<string, Prepared[]>();
    for (const item of batch.events) {
      const list = bySource.get(item.source);
      if (list === undefined) bySource.set(item.source, [item]);
      else list.push(item);
    }
    const drafts = new Map(batch.projections.map((p) => [p.ref, p]));
    const outcomes: IngestOutcome[] = [];
    let violations = 0;
    for (const [source, group] of bySource) {
      const result = await this.writeSourceGroup(source, group, drafts);
      outcomes.push(...result.outcomes);
      violations += result.violations;
    }
    outcomes.sort((a, b) => a.index - b.index);
    return { outcomes, violations };
  }

  private async writeSourceGroup(source: string, group: Prepared[], drafts: ReadonlyMap<string, BatchProjection>): Promise<WriteResult> {
    // New events are the common case: they are appended without looking them up first, and
    // the ledger-wide key of (source, event_id) (ledger_event_key, inserted just before the
    // rows) refuses the whole attempt if any was stored already, whatever month holds it.
    // The write is then redone looking every event up, which sorts duplicates and conflicts
    // out, and the source is looked up first until a write of it finds no stored event
    // again (a feed loaded twice pays the refused attempt once).
    let lookUp = this.sourcesSendingKnownEvents.has(source);
    for (let attempt = 1; ; attempt += 1) {
      const client = await this.pool.connect();
      try {
        await client.query('BEGIN');
        const result = await this.appendInTransaction(client, source, group, drafts, lookUp);
        await client.query('COMMIT');
        if (lookUp && result.storedFound === 0) this.sourcesSendingKnownEvents.delete(source);
        return { outcomes: result.outcomes, violations: result.violations };
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        // Also: two requests of one source carrying the same new event can race on two
        // lanes; the loser retries and then sees the event as a duplicate. Two that carry
        // several such events in different orders (two API processes given one feed
        // batched differently) each wait on an index entry the other inserted: PostgreSQL
        // fails one as a deadlock, and it is redone the same way.
        if ((isUniqueViolation(error) || isDeadlock(error)) && attempt < MAX_ATTEMPTS) {
          if (!lookUp) this.sourcesSendingKnownEvents.add(source);
          lookUp = true;
          continue;
        }
        if (isMissingPartition(error, 'ledger_event')) throw new MissingTimePartitionError('ledger_event', error.detail, { cause: error });
        throw error;
      } finally {
        client.release();
      }
    }
  }

  /**
   * Takes a free lane of the source's chains (SKIP LOCKED), so concurrent requests of one
   * source write side by side; waits for lane 0 only when every lane is busy.
   */
  private async lockLane(client: PoolClient, source: string): Promise<LaneHead> {
    const free = await this.lockFreeLane(client, source);
    if (free !== undefined) return free;
    const existing = await client.query<{ n: string }>('SELECT count(*) AS n FROM ledger_chain WHERE source = $1', [source]);
    if (existing.rows[0]?.n === '0') {
      // Created outside the caller's transaction, so concurrent first writers of a new
      // source do not queue behind one uncommitted insert.
      await this.pool.query(
        `INSERT INTO ledger_chain (chain_id, source, lane, head_seq, head_hash)
         SELECT $1 || '/' || lane, $1, lane, 0, $3 FROM generate_series(0, $2::int - 1) AS lane
         ON CONFLICT (chain_id) DO NOTHING`,
        [source, this.lanesPerSource, GENESIS_HASH],
      );
      const created = await this.lockFreeLane(client, source);
      if (created !== undefined) return created;
    }
    const waited = await client.query<LaneHead>(
      'SELECT chain_id, head_seq, head_hash FROM ledger_chain WHERE source = $1 ORDER BY lane LIMIT 1 FOR UPDATE',
      [source],
    );
    const lane = waited.rows[0];
    if (lane === undefined) throw new Error(`no chain for source ${source}`);
    return lane;
  }

  private async lockFreeLane(client: PoolClient, source: string): Promise<LaneHead | undefined> {
    const free = await client.query<LaneHead>({
      name: 'ledger-lock-free-lane',
      text: 'SELECT chain_id, head_seq, head_hash FROM ledger_chain WHERE source = $1 ORDER BY lane LIMIT 1 FOR UPDATE SKIP LOCKED',
      values: [source],
    });
    return free.rows[0];
  }

  private async appendInTransaction(
    client: PoolClient,
    source: string,
    group: Prepared[],
    drafts: ReadonlyMap<string, BatchProjection>,
    lookUp: boolean,
  ): Promise<WriteResult & { storedFound: number }> {
    const outcomes: IngestOutcome[] = [];
    // The same id twice in one request: the first one competes with the ledger, the
    // others are judged against what the id holds once it has (below): a copy of a first
    // that the ledger refuses as a conflict is no duplicate, and was once answered as one
    // though nothing of its content was stored.
    const firstById = new Map<string, Prepared>();
    const candidates: Prepared[] = [];
    const laterCopies: Prepared[] = [];
    for (const item of group) {
      if (firstById.has(item.eventId)) laterCopies.push(item);
      else {
        firstById.set(item.eventId, item);
        candidates.push(item);
      }
    }

    const headRow = await this.lockLane(client, source);
    const chainId = headRow.chain_id;

    const stored = lookUp
      ? (
          await client.query<{ event_id: string; content_hash: string }>(
            // The key table answers for every month, attached or detached for archiving.
            'SELECT event_id, content_hash FROM ledger_event_key WHERE source = $1 AND event_id = ANY($2::text[])',
            [source, candidates.map((c) => c.eventId)],
          )
        ).rows
      : [];
    const storedHash = new Map(stored.map((r) => [r.event_id, r.content_hash]));

    const fresh: Prepared[] = [];
    const conflicts: Prepared[] = [];
    for (const item of candidates) {
      const hash = storedHash.get(item.eventId);
      if (hash === undefined) fresh.push(item);
      else if (hash === item.contentHash) {
        outcomes.push({ index: item.index, eventId: item.eventId, status: 'duplicate', contentHash: hash });
      } else {
        conflicts.push(item);
        outcomes.push(conflict(item));
      }
    }
    for (const item of laterCopies) {
      const holds = storedHash.get(item.eventId) ?? (firstById.get(item.eventId) as Prepared).contentHash;
      if (item.contentHash === holds) outcomes.push({ index: item.index, eventId: item.eventId, status: 'duplicate', contentHash: holds });
      else {
        conflicts.push(item);
        outcomes.push(conflict(item));
      }
    }
    if (conflicts.length > 0) await recordConflicts(client, source, conflicts, storedHash, firstById);

    const headSeq = BigInt(headRow.head_seq);
    let seq = headSeq;
    let previous = headRow.head_hash;
    const links: string[] = [];
    for (const item of fresh) {
      seq += 1n;
      previous = chainLink(seq, previous, item.contentHash);
      links.push(previous);
      outcomes.push({ index: item.index, eventId: item.eventId, status: 'accepted', contentHash: item.contentHash, chainSeq: seq.toString() });
    }
    let violations = 0;
    if (fresh.length > 0) {
      await appendRows(client, { source, chainId, headSeq, fresh, links });
      const freshByRef = new Map<string, number>();
      for (const f of fresh) freshByRef.set(f.violationRef, (freshByRef.get(f.violationRef) ?? 0) + 1);
      // The projection locks the violations only now, after the rows are in: concurrent writers
      // sharing a violation then wait on each other for the projection alone, not the append.
      violations = await projectAppended(client, { chainId, fromSeq: (headSeq + 1n).toString(), toSeq: seq.toString(), freshByRef, drafts });
    }
    return { outcomes, violations, storedFound: stored.length };
  }
}

/** Chains per source: enough for the writers one API process runs at once. */
export const DEFAULT_LANES_PER_SOURCE = 4;
// One attempt may be refused for appending without looking up, and two more for races
// (a unique violation or a deadlock with a writer of the same events).
const MAX_ATTEMPTS = 4;

function isUniqueViolation(error: unknown): boolean {
  return sqlState(error) === '23505';
}

function isDeadlock(error: unknown): boolean {
  return sqlState(error) === '40P01';
}

function sqlState(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}

function conflict(item: Prepared): IngestOutcome {
  return { index: item.index, eventId: item.eventId, status: 'rejected', reasons: [{ path: 'eventId', message: CONFLICT_MESSAGE }] };
}

async function recordConflicts(
  client: PoolClient,
  source: string,
  conflicts: Prepared[],
  storedHash: Map<string, string>,
  firstById: Map<string, Prepared>,
): Promise<void> {
  await client.query(
    `INSERT INTO ingest_conflict (source, event_id, stored_hash, offered_hash, offered)
     SELECT $1, c.event_id, c.stored_hash, c.offered_hash, c.offered::jsonb
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS c(event_id, stored_hash, offered_hash, offered)`,
    [
      source,
      conflicts.map((c) => c.eventId),
      conflicts.map((c) => storedHash.get(c.eventId) ?? firstById.get(c.eventId)?.contentHash ?? ''),
      conflicts.map((c) => c.contentHash),
      conflicts.map((c) => canonicalEventForm(eventFromCopyRowTail(c.copyTail))),
    ],
  );
}

/**
 * The append: the rows' ledger-wide keys, then the rows by COPY (the prepared row text
 * behind each chain position and link), then the chain head moves past them.
 *
 * The keys go in first, in one INSERT from arrays, not from a trigger on ledger_event: a
 * transition-table trigger would make PostgreSQL's COPY into the partitioned table insert
 * one row at a time. A stored event id, or a position taken, fails the attempt here with
 * 23505, before any row is copied.
 */
async function appendRows(client: PoolClient, rows: { source: string; chainId: string; headSeq: bigint; fresh: Prepared[]; links: string[] }): Promise<void> {
  const { source, chainId, headSeq, fresh, links } = rows;
  await client.query({
    name: 'ledger-insert-keys',
    text: `INSERT INTO ledger_event_key (source, event_id, chain_id, chain_seq, content_hash)
           SELECT $1, k.event_id, $2, $3::bigint + k.n, k.content_hash
           FROM unnest($4::text[], $5::text[]) WITH ORDINALITY AS k(event_id, content_hash, n)`,
    values: [source, chainId, headSeq.toString(), fresh.map((f) => f.eventId), fresh.map((f) => f.contentHash)],
  });
  const copy = client.query(copyFrom(`COPY ledger_event (${LEDGER_COPY_COLUMNS}) FROM STDIN`));
  await pipeline(Readable.from([ledgerCopyData(chainId, headSeq + 1n, links, fresh.map((f) => f.copyTail))]), copy);
  if (copy.rowCount !== fresh.length) throw new Error(`appended ${copy.rowCount} of ${fresh.length} rows to ${chainId}`);
  await client.query({
    name: 'ledger-move-head',
    text: 'UPDATE ledger_chain SET head_seq = $2::bigint, head_hash = $3, updated_at = now() WHERE chain_id = $1',
    values: [chainId, (headSeq + BigInt(fresh.length)).toString(), links.at(-1)],
  });
}
