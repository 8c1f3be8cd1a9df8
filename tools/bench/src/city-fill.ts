import { copyIntoLedger, copyText } from './ledger-copy.js';
import type pg from 'pg';
import { ReferenceRepository } from '@qadaga/db';
import { DEFAULT_LANES_PER_SOURCE, reprojectViolations } from '@qadaga/ledger';
import type { LifecycleEvent } from '@qadaga/domain';
import { GENESIS_HASH, canonicalEventForm, chainLink, sha256Hex } from '@qadaga/domain/hashing';
import type { SimulatedCity } from '@qadaga/simulator';

interface Lane {
  chainId: string;
  source: string;
  lane: number;
  seq: number;
  head: string;
}

/** Violations projected per transaction: big enough to amortise round trips, small enough to keep memory flat. */
const PROJECT_BATCH = 5_000;

/**
 * A simulated city loaded without the API: its events streamed into the ledger by COPY,
 * hashed and chained with the domain's own functions as the writer chains them, then
 * every violation projected by the writer's own projection. What the facts read is then
 * what the ingest pipeline would have left, for a fraction of the time, so ledgers of
 * millions of events can be benchmarked on a small host.
 */
export async function fillCityByCopy(
  pool: pg.Pool,
  city: SimulatedCity,
  options: {
    /** Load the city's reference data (roster, cameras, register); default true. */
    reference?: boolean;
    /** Rows received when they occurred, in their own months' partitions, instead of now. */
    receivedWhenOccurred?: boolean;
  } = {},
): Promise<{ events: number; violations: number; copySeconds: number; projectSeconds: number }> {
  if (options.reference !== false) await new ReferenceRepository(pool).load(city.reference);
  const received = options.receivedWhenOccurred === true;
  const started = performance.now();
  const lanes = new Map<string, Lane[]>();
  // A city loaded next to another continues its sources' chains.
  for (const head of (await pool.query<{ chain_id: string; source: string; lane: number; head_seq: string; head_hash: string }>('SELECT chain_id, source, lane, head_seq, head_hash FROM ledger_chain ORDER BY source, lane')).rows) {
    const list = lanes.get(head.source) ?? [];
    list[head.lane] = { chainId: head.chain_id, source: head.source, lane: head.lane, seq: Number(head.head_seq), head: head.head_hash };
    lanes.set(head.source, list);
  }
  const laneOf = (source: string, n: number): Lane => {
    let list = lanes.get(source);
    if (list === undefined) {
      list = Array.from({ length: DEFAULT_LANES_PER_SOURCE }, (_, lane) => ({ chainId: `${source}/${lane}`, source, lane, seq: 0, head: GENESIS_HASH }));
      lanes.set(source, list);
    }
    return list[n % list.length] as Lane;
  };
  const refs: string[] = [];
  let events = 0;
  const row = (e: LifecycleEvent): string => {
    const lane = laneOf(e.source, events);
    const content = sha256Hex(canonicalEventForm(e));
    lane.seq += 1;
    lane.head = chainLink(lane.seq, lane.head, content);
    const fields = [lane.chainId, String(lane.seq), e.source, e.eventId, e.violationRef, e.type, e.occurredAt, e.recordedAt ?? null, e.actor.kind, e.actor.id, e.actor.unit ?? null, e.actor.workstation ?? null, JSON.stringify(e.payload), content, lane.head];
    if (received) fields.push(e.occurredAt);
    return fields
      .map(copyText)
      .join('\t');
  };
  function* chunks(): Generator<string> {
    let lines: string[] = [];
    for (const e of city.events()) {
      // The simulator tells one violation's story at a time, so a new ref is a new violation.
      if (refs[refs.length - 1] !== e.violationRef) refs.push(e.violationRef);
      lines.push(row(e));
      events += 1;
      if (lines.length >= 2_000) {
        yield `${lines.join('\n')}\n`;
        lines = [];
      }
    }
    if (lines.length > 0) yield `${lines.join('\n')}\n`;
  }
  await copyIntoLedger(pool, chunks(), { receivedAt: received });
  const all = [...lanes.values()].flat();
  await pool.query(
    `INSERT INTO ledger_chain (chain_id, source, lane, head_seq, head_hash)
     SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[], $5::text[])
     ON CONFLICT (chain_id) DO UPDATE SET head_seq = EXCLUDED.head_seq, head_hash = EXCLUDED.head_hash`,
    [all.map((l) => l.chainId), all.map((l) => l.source), all.map((l) => l.lane), all.map((l) => l.seq), all.map((l) => l.head)],
  );
  await pool.query('VACUUM ANALYZE ledger_event');
  const copied = performance.now();
  const unique = [...new Set(refs)];
  for (let i = 0; i < unique.length; i += PROJECT_BATCH) {
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      await reprojectViolations(c, unique.slice(i, i + PROJECT_BATCH));
      await c.query('COMMIT');
    } catch (error) {
      await c.query('ROLLBACK');
      throw error;
    } finally {
      c.release();
    }
  }
  await pool.query('VACUUM ANALYZE violation');
  return { events, violations: unique.length, copySeconds: (copied - started) / 1000, projectSeconds: (performance.now() - copied) / 1000 };
}
