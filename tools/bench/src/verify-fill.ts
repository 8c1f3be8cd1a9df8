import { copyIntoLedger, copyText } from './ledger-copy.js';
import type pg from 'pg';
import { DEFAULT_LANES_PER_SOURCE } from '@qadaga/ledger';
import type { LifecycleEvent } from '@qadaga/domain';
import { GENESIS_HASH, canonicalEventForm, chainLink, sha256Hex } from '@qadaga/domain/hashing';
import { lifecycleEvents } from '@qadaga/simulator';

/** Four source systems, each writing DEFAULT_LANES_PER_SOURCE lanes, as the writer does. */
const SOURCES = ['sergek-almaty', 'sergek-astana', 'register', 'treasury'];
/** lifecycleEvents yields about 4.75 events per violation. */
const EVENTS_PER_VIOLATION = 4.7;

interface Lane {
  chainId: string;
  source: string;
  lane: number;
  seq: number;
  head: string;
}

/**
 * Fills the ledger with `target` simulated events through COPY, hashed and chained with
 * the domain's own functions exactly as the writer chains them. Sources are interleaved,
 * and each source spreads its events over its lanes, so rows of one chain are scattered
 * through the table as they are after real concurrent ingest.
 */
export async function fillLedger(pool: pg.Pool, target: number): Promise<{ events: number; seconds: number }> {
  const started = performance.now();
  const perSource = Math.ceil(target / EVENTS_PER_VIOLATION / SOURCES.length);
  const streams = SOURCES.map((source, s) => lifecycleEvents({ source, violations: perSource, seed: 101 + s, prefix: `V${s}` }));
  const lanes: Lane[][] = SOURCES.map((source) =>
    Array.from({ length: DEFAULT_LANES_PER_SOURCE }, (_, lane) => ({ chainId: `${source}/${lane}`, source, lane, seq: 0, head: GENESIS_HASH })),
  );
  let written = 0;
  const row = (e: LifecycleEvent, lane: Lane): string => {
    const content = sha256Hex(canonicalEventForm(e));
    lane.seq += 1;
    lane.head = chainLink(lane.seq, lane.head, content);
    return [lane.chainId, String(lane.seq), e.source, e.eventId, e.violationRef, e.type, e.occurredAt, e.recordedAt ?? null, e.actor.kind, e.actor.id, e.actor.unit ?? null, e.actor.workstation ?? null, JSON.stringify(e.payload), content, lane.head]
      .map(copyText)
      .join('\t');
  };
  function* chunks(): Generator<string> {
    const live = streams.map((stream, s) => ({ stream, s, n: 0 }));
    let lines: string[] = [];
    while (live.length > 0 && written < target) {
      for (let i = live.length - 1; i >= 0 && written < target; i -= 1) {
        const src = live[i] as (typeof live)[number];
        const next = src.stream.next();
        if (next.done === true) {
          live.splice(i, 1);
          continue;
        }
        const sourceLanes = lanes[src.s] as Lane[];
        lines.push(row(next.value, sourceLanes[src.n % sourceLanes.length] as Lane));
        src.n += 1;
        written += 1;
      }
      if (lines.length >= 2_000) {
        yield `${lines.join('\n')}\n`;
        lines = [];
      }
    }
    if (lines.length > 0) yield `${lines.join('\n')}\n`;
  }
  await copyIntoLedger(pool, chunks());
  const all = lanes.flat();
  await pool.query(
    `INSERT INTO ledger_chain (chain_id, source, lane, head_seq, head_hash)
     SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[], $5::text[])`,
    [all.map((l) => l.chainId), all.map((l) => l.source), all.map((l) => l.lane), all.map((l) => l.seq), all.map((l) => l.head)],
  );
  await pool.query('VACUUM ANALYZE ledger_event');
  return { events: written, seconds: (performance.now() - started) / 1000 };
}
