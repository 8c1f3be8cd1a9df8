import type { Pool, PoolClient } from 'pg';
import { GENESIS_HASH, chainLink } from '@qadaga/domain/hashing';
import { ACCESS_LOG_COLUMNS, accessLogContentHash, fromDb, readHeads, type AccessLogDbRow, type ChainHeads, type StoredCheckpoint } from '@qadaga/db';
import { archiveAwareLookup, readArchivedChains } from './archive/archived-chains.js';
import { LEDGER_EVENT_COLUMNS, type LedgerEventRow } from './ledger-row.js';
import { contentMatches } from './verify/batch-check.js';
import { accessLogPositionLookup, compareSignedPositions, ledgerPositionLookup, signedAccessLogPositions, signedLedgerPositions, type CheckpointFailureKind, type PositionLookup } from './verify/checkpoint-check.js';

export interface ExtensionFailure {
  log: 'ledger' | 'access_log';
  kind: Exclude<CheckpointFailureKind, 'checkpoint_signature_invalid' | 'checkpoint_missing_from_database' | 'checkpoint_altered'> | 'content_edited' | 'link_broken' | 'rows_missing' | 'row_inserted' | 'tail_missing' | 'head_mismatch';
  /** The ledger chain, or the access-log lane's number. */
  chain: string;
  seq: string;
  signedHash: string | null;
  foundHash: string | null;
  message: string;
}

export interface ExtensionResult {
  /** The heads read, in the snapshot whose rows were checked: the ones to sign if nothing failed. */
  heads: ChainHeads;
  failures: ExtensionFailure[];
  /** Rows whose hashes and links were recomputed: those written since the previous checkpoint. */
  rowsChecked: number;
}

const PAGE = 5_000;

/**
 * Whether the chains as they are now extend the previous checkpoint: every position it
 * signed still holds the signed hash, no head moved back or vanished, and the rows written
 * since recompute, link by link, from the signed hash to the head. Only those rows are
 * read, so this costs what was written in the interval, not the whole ledger. One
 * repeatable-read snapshot: the heads returned are the heads checked.
 */
export async function verifyCheckpointExtension(pool: Pool, previous: StoredCheckpoint | null, maxFailures = 100): Promise<ExtensionResult> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query(`SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, YMD'`);
    const heads = await readHeads(client);
    const failures: ExtensionFailure[] = [];
    const origin = previous === null ? [] : [{ checkpoint: previous, origin: { id: previous.id, at: previous.at, origin: 'database' as const } }];

    const ledgerHeads = new Map(heads.ledgerHeads.map((h) => [h.chainId, { seq: h.seq, hash: h.hash }]));
    // A chain idle since a detached month has its signed head in the archive, not in a row.
    const archived = await readArchivedChains(client, undefined);
    const ledger = await extendLog(client, 'ledger', signedLedgerPositions(origin), ledgerHeads, archiveAwareLookup(ledgerPositionLookup(client), archived), ledgerRows(client), (c) => `chain ${c}`);

    const laneHeads = new Map(heads.accessLogLanes.map((l) => [String(l.lane), { seq: l.seq, hash: l.hash }]));
    const access = await extendLog(client, 'access_log', signedAccessLogPositions(origin), laneHeads, accessLogPositionLookup(client), accessLogRows(client), (c) => `access-log lane ${c}`);

    await client.query('COMMIT');
    failures.push(...ledger.failures, ...access.failures);
    return { heads, failures: failures.slice(0, maxFailures), rowsChecked: ledger.rows + access.rows };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** What the link walk needs of a row, whatever the log. */
interface LinkRow {
  seq: string;
  id: string;
  contentHash: string;
  chainHash: string;
  contentOk: boolean;
}

/** The rows of one chain after a position, in (seq, id) order, a page at a time. */
type RowsAfter = (chain: string, afterSeq: string, afterId: string) => Promise<LinkRow[]>;

async function extendLog(
  client: PoolClient,
  log: ExtensionFailure['log'],
  signed: ReturnType<typeof signedLedgerPositions>,
  heads: ReadonlyMap<string, { seq: string; hash: string }>,
  lookup: PositionLookup,
  rowsAfter: RowsAfter,
  label: (chain: string) => string,
): Promise<{ failures: ExtensionFailure[]; rows: number }> {
  const failures: ExtensionFailure[] = [];
  const held = await compareSignedPositions(signed, heads, lookup, label);
  const broken = new Set<string>();
  for (const f of held) {
    if (f.chain === null || f.seq === null) continue;
    broken.add(f.chain);
    failures.push({ log, kind: f.kind as ExtensionFailure['kind'], chain: f.chain, seq: f.seq, signedHash: f.signedHash, foundHash: f.foundHash, message: f.message });
  }
  const from = new Map(signed.map((p) => [p.chain, p]));
  let rows = 0;
  for (const [chain, head] of [...heads].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    // A chain that no longer holds its signed position has no base to walk from; it is named above.
    if (broken.has(chain)) continue;
    const start = from.get(chain);
    if (start !== undefined && start.seq.toString() === head.seq) {
      // Nothing written since; the head record itself must still be the signed one, or the next checkpoint would sign a head no row holds.
      if (head.hash !== start.hash) failures.push({ log, kind: 'head_mismatch', chain, seq: head.seq, signedHash: start.hash, foundHash: head.hash, message: `${label(chain)}: the recorded head at position ${head.seq} is not the hash signed for it` });
      continue;
    }
    const fromSigned = start !== undefined && start.seq > 0n;
    const startId = fromSigned ? await idAt(client, log, chain, start.seq.toString(), start.hash) : '0';
    const walked = await walkLinks(chain, fromSigned ? { seq: start.seq, hash: start.hash } : { seq: 0n, hash: GENESIS_HASH }, startId, head, rowsAfter, label);
    rows += walked.rows;
    for (const f of walked.failures) failures.push({ log, ...f });
  }
  return { failures, rows };
}

/** The id of the row holding a signed position (the position check has shown it exists). */
async function idAt(client: PoolClient, log: ExtensionFailure['log'], chain: string, seq: string, hash: string): Promise<string> {
  const { rows } =
    log === 'ledger'
      ? await client.query<{ id: string }>('SELECT id FROM ledger_event WHERE chain_id = $1 AND chain_seq = $2 AND chain_hash = $3 ORDER BY id LIMIT 1', [chain, seq, hash])
      : await client.query<{ id: string }>('SELECT id FROM access_log WHERE lane = $1 AND seq = $2 AND chain_hash = $3 ORDER BY id LIMIT 1', [Number(chain), seq, hash]);
  return rows[0]?.id ?? '0';
}

/** Recomputes every link from a signed position to the head, naming the first thing wrong at each position. */
async function walkLinks(
  chain: string,
  from: { seq: bigint; hash: string },
  fromId: string,
  head: { seq: string; hash: string },
  rowsAfter: RowsAfter,
  label: (chain: string) => string,
): Promise<{ failures: Omit<ExtensionFailure, 'log'>[]; rows: number }> {
  const failures: Omit<ExtensionFailure, 'log'>[] = [];
  const fail = (kind: ExtensionFailure['kind'], seq: bigint, message: string, foundHash: string | null = null) =>
    failures.push({ kind, chain, seq: seq.toString(), signedHash: null, foundHash, message: `${label(chain)}: ${message}` });
  let expected = from.seq + 1n;
  let previous = from.hash;
  let rows = 0;
  let afterSeq = from.seq.toString();
  let afterId = fromId;
  for (;;) {
    const page = await rowsAfter(chain, afterSeq, afterId);
    for (const row of page) {
      rows += 1;
      const seq = BigInt(row.seq);
      if (seq < expected) {
        fail('row_inserted', seq, `a second row (${row.id}) claims position ${seq}`, row.chainHash);
        continue;
      }
      if (seq > expected) fail('rows_missing', expected, `positions ${expected}..${seq - 1n} are missing before row ${row.id}`);
      else if (!row.contentOk) fail('content_edited', seq, `row ${row.id} at position ${seq} no longer matches its hash`, row.chainHash);
      else if (chainLink(seq, previous, row.contentHash) !== row.chainHash) fail('link_broken', seq, `the link of position ${seq} (row ${row.id}) does not follow from the one before`, row.chainHash);
      previous = row.chainHash;
      expected = seq + 1n;
    }
    const last = page.at(-1);
    if (last === undefined || page.length < PAGE) break;
    afterSeq = last.seq;
    afterId = last.id;
  }
  const lastSeq = expected - 1n;
  const headSeq = BigInt(head.seq);
  if (headSeq > lastSeq) fail('tail_missing', lastSeq + 1n, `the head says position ${headSeq}, the last row found is at ${lastSeq}`);
  else if (headSeq < lastSeq) fail('row_inserted', headSeq + 1n, `rows beyond the recorded head ${headSeq} (up to ${lastSeq})`);
  else if (head.hash !== previous) fail('head_mismatch', lastSeq, 'the recorded head hash does not match the last link', head.hash);
  return { failures, rows };
}

function ledgerRows(client: PoolClient): RowsAfter {
  return async (chain, afterSeq, afterId) => {
    const { rows } = await client.query<LedgerEventRow>(
      `SELECT ${LEDGER_EVENT_COLUMNS} FROM ledger_event WHERE chain_id = $1 AND (chain_seq, id) > ($2::bigint, $3::bigint) ORDER BY chain_seq, id LIMIT ${PAGE}`,
      [chain, afterSeq, afterId],
    );
    return rows.map((r) => ({ seq: r.chain_seq, id: r.id, contentHash: r.content_hash, chainHash: r.chain_hash, contentOk: contentMatches(r) }));
  };
}

function accessLogRows(client: PoolClient): RowsAfter {
  return async (lane, afterSeq, afterId) => {
    const { rows } = await client.query<AccessLogDbRow>(
      `SELECT ${ACCESS_LOG_COLUMNS} FROM access_log WHERE lane = $1 AND (seq, id) > ($2::bigint, $3::bigint) ORDER BY seq, id LIMIT ${PAGE}`,
      [Number(lane), afterSeq, afterId],
    );
    return rows.map((db) => {
      const row = fromDb(db);
      return { seq: row.seq ?? '0', id: row.id, contentHash: row.contentHash ?? '', chainHash: row.chainHash ?? '', contentOk: accessLogContentHash(row) === row.contentHash };
    });
  };
}
