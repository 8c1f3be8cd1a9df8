import { GENESIS_HASH } from '@qadaga/domain/hashing';
import type { PoolClient } from 'pg';
import { ArchiveRefusal, type ArchiveMonth } from './archive-month.js';
import type { ArchiveRecord } from './archive-records.js';

/** A chain's position and the hash there. */
export interface ChainPosition {
  chainId: string;
  seq: string;
  hash: string;
}

/** One chain's stretch in the month: positions fromSeq + 1 .. toSeq. */
export interface MonthSegment {
  chainId: string;
  fromSeq: string;
  fromHash: string;
  toSeq: string;
  toHash: string;
  rows: number;
}

export interface MonthBoundaries {
  /** Every chain's last position before the month (chains with none are left out). */
  start: ChainPosition[];
  /** Every chain's last position at the month's end. */
  end: ChainPosition[];
  /** The chains with rows in the month. */
  segments: MonthSegment[];
}

interface BoundaryRow {
  chain_id: string;
  before_seq: string | null;
  before_hash: string | null;
  first_seq: string | null;
  last_seq: string | null;
  n: string;
  last_hash: string | null;
  after_seq: string | null;
}

/**
 * Where the month cuts each chain, read from the live rows, or for a chain whose earlier
 * rows were already archived, from that archive's signed end. Refuses a month that does
 * not hold one unbroken stretch of every chain (a gap, a second row at a position, or rows
 * of other months in between), naming the chain: such a cut could not be verified later.
 */
export async function monthBoundaries(client: Pick<PoolClient, 'query'>, month: ArchiveMonth, earlier: readonly ArchiveRecord[]): Promise<MonthBoundaries> {
  const { rows } = await client.query<BoundaryRow>(
    `SELECT c.chain_id, b.chain_seq AS before_seq, b.chain_hash AS before_hash, m.first_seq, m.last_seq, m.n, l.chain_hash AS last_hash, a.after_seq
     FROM ledger_chain c
     LEFT JOIN LATERAL (SELECT chain_seq, chain_hash FROM ledger_event e WHERE e.chain_id = c.chain_id AND e.received_at < $1 ORDER BY chain_seq DESC LIMIT 1) b ON true
     CROSS JOIN LATERAL (SELECT min(chain_seq) AS first_seq, max(chain_seq) AS last_seq, count(*) AS n FROM ledger_event e
                         WHERE e.chain_id = c.chain_id AND e.received_at >= $1 AND e.received_at < $2) m
     LEFT JOIN LATERAL (SELECT chain_hash FROM ledger_event e WHERE e.chain_id = c.chain_id AND e.chain_seq = m.last_seq AND e.received_at >= $1 AND e.received_at < $2 LIMIT 1) l ON true
     LEFT JOIN LATERAL (SELECT min(chain_seq) AS after_seq FROM ledger_event e WHERE e.chain_id = c.chain_id AND e.received_at >= $2) a ON true
     ORDER BY c.chain_id`,
    [month.from, month.to],
  );
  // An earlier archived month's signed end is where a chain stands when its rows before this month are gone.
  const archivedEnd = new Map<string, ChainPosition>();
  for (const record of earlier) {
    if (Date.parse(record.to) > month.from.getTime()) continue;
    for (const h of record.endCheckpoint.ledgerHeads) {
      const known = archivedEnd.get(h.chainId);
      if (known === undefined || BigInt(h.seq) > BigInt(known.seq)) archivedEnd.set(h.chainId, { chainId: h.chainId, seq: h.seq, hash: h.hash });
    }
  }

  const start: ChainPosition[] = [];
  const end: ChainPosition[] = [];
  const segments: MonthSegment[] = [];
  for (const r of rows) {
    const live = r.before_seq === null ? null : { chainId: r.chain_id, seq: r.before_seq, hash: r.before_hash as string };
    const archived = archivedEnd.get(r.chain_id) ?? null;
    const before = live !== null && (archived === null || BigInt(live.seq) >= BigInt(archived.seq)) ? live : archived ?? { chainId: r.chain_id, seq: '0', hash: GENESIS_HASH };
    if (before.seq !== '0') start.push(before);
    if (r.first_seq === null) {
      if (before.seq !== '0') end.push(before);
      continue;
    }
    const first = BigInt(r.first_seq);
    const last = BigInt(r.last_seq as string);
    const count = BigInt(r.n);
    const field = `chain ${r.chain_id}`;
    if (first !== BigInt(before.seq) + 1n) {
      throw new ArchiveRefusal(field, `its rows in ${month.month} start at position ${first}, but the last position before the month is ${before.seq}${first > BigInt(before.seq) + 1n ? ` (positions ${BigInt(before.seq) + 1n}..${first - 1n} are missing)` : ' (rows of the month and of earlier months are interleaved)'}; run \`qadaga ledger verify\``);
    }
    if (count !== last - first + 1n) {
      throw new ArchiveRefusal(field, `its ${count} rows in ${month.month} do not fill positions ${first}..${last} exactly once (a gap, a second row at a position, or rows of another month between them); run \`qadaga ledger verify\``);
    }
    if (r.after_seq !== null && BigInt(r.after_seq) <= last) {
      throw new ArchiveRefusal(field, `position ${r.after_seq} was received after ${month.month} but comes before the month's last position ${last}; the month is not one stretch of the chain`);
    }
    const head = { chainId: r.chain_id, seq: last.toString(), hash: r.last_hash as string };
    end.push(head);
    segments.push({ chainId: r.chain_id, fromSeq: before.seq, fromHash: before.hash, toSeq: head.seq, toHash: head.hash, rows: Number(count) });
  }
  return { start, end, segments };
}
