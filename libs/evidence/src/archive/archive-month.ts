import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import type pg from 'pg';
import { canonicalEventForm, chainLink, sha256Hex } from '@qadaga/domain/hashing';
import {
  ArchiveRefusal,
  archiveAgeRefusal,
  detachMonthPartition,
  markArchiveDetached,
  monthBoundaries,
  monthRows,
  monthStorage,
  parseArchiveMonth,
  readArchiveRecords,
  rowToEvent,
  storeArchiveRecord,
  type ArchiveRecord,
  type LedgerEventRow,
  type MonthSegment,
  type MonthStorage,
} from '@qadaga/ledger';
import { eventLine } from '../bundle/event-format.js';
import { signCheckpoint, verifyCheckpoint, type SignedCheckpoint } from '../signing/checkpoint.js';
import type { KeyRing } from '../signing/key-ring.js';
import { ARCHIVE_FORMAT, sealSigningText, type ArchiveHeader, type ArchiveSealBody, type ArchiveTrailer } from './archive-format.js';

export interface ArchiveMonthOptions {
  /** YYYY-MM */
  month: string;
  /** The file to write (gzip'd NDJSON); written beside it under another name first, so a failure leaves no file that looks whole. */
  out: string;
  /** Months that must have passed since the month ended (0: it must be over). */
  minAgeMonths: number;
  keyRing: KeyRing;
  /** After the export, detach the month's partition of ledger_event; refused when the table is not partitioned. */
  detach?: boolean;
  /** Drop the detached partition instead of keeping it as a table of its own. */
  drop?: boolean;
  now?: Date;
  lockTimeoutMs?: number;
}

export interface ArchiveMonthResult {
  month: string;
  file: string;
  rows: number;
  chains: number;
  fileSha256: string;
  bodySha256: string;
  startCheckpoint: SignedCheckpoint<null>;
  endCheckpoint: SignedCheckpoint<null>;
  storage: MonthStorage['kind'];
  detached: { partition: string; dropped: boolean } | null;
}

/**
 * Exports a closed month of the ledger to a self-contained file, records it, and, if asked,
 * detaches the month's partition. Every row is checked on the way out (its content hash,
 * its link from the month's start, the stored checkpoints that signed a position in it) and
 * the month's end must be where the rows lead: the product signs only a boundary its own
 * rows prove. Nothing is recorded or detached unless the whole file was written.
 */
export async function archiveLedgerMonth(pool: pg.Pool, options: ArchiveMonthOptions): Promise<ArchiveMonthResult> {
  const month = parseArchiveMonth(options.month);
  const now = options.now ?? new Date();
  const tooYoung = archiveAgeRefusal(month, options.minAgeMonths, now);
  if (tooYoung !== null) throw new ArchiveRefusal('--month', tooYoung);
  const trustedKeys = options.keyRing.publicKeys().map((k) => k.keyId);
  // Signed no earlier than the signer's recorded start, or a verifier holding the key periods would refuse it.
  const at = new Date(Math.max(now.getTime(), options.keyRing.activeSince === null ? 0 : Date.parse(options.keyRing.activeSince))).toISOString();

  const client = await pool.connect();
  let exported: { header: ArchiveHeader; rows: number; fileSha256: string; bodySha256: string; storage: MonthStorage };
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      await client.query(`SET LOCAL TimeZone = 'UTC'`);
      const records = await readArchiveRecords(client);
      const already = records.find((r) => r.month === month.month);
      if (already?.detachedAt !== null && already?.detachedAt !== undefined) {
        throw new ArchiveRefusal('--month', `${month.month} was archived to ${already.fileName} and detached at ${already.detachedAt}; its rows are no longer in the database`);
      }
      const storage = await monthStorage(client, month);
      if (options.detach === true && storage.kind === 'unpartitioned') {
        throw new ArchiveRefusal('--detach', 'ledger_event is not partitioned by month, so a month cannot be detached from it; archive without --detach (the file is written and verifies the same) or partition the ledger first');
      }
      if (options.detach === true && storage.kind === 'no_month_partition') throw new ArchiveRefusal('--detach', storage.reason);
      checkEarlierArchives(records, month.from, trustedKeys);
      const boundaries = await monthBoundaries(client, month, records);
      const signedInMonth = await storedSignedPositions(client, boundaries.segments, trustedKeys);
      const header: ArchiveHeader = {
        format: ARCHIVE_FORMAT,
        month: month.month,
        from: month.from.toISOString(),
        to: month.to.toISOString(),
        generatedAt: at,
        startCheckpoint: signCheckpoint({ at, ledgerHeads: boundaries.start, accessLogHead: null }, options.keyRing),
        endCheckpoint: signCheckpoint({ at, ledgerHeads: boundaries.end, accessLogHead: null }, options.keyRing),
        segments: boundaries.segments.map((s) => ({ chainId: s.chainId, fromSeq: s.fromSeq, toSeq: s.toSeq, rows: s.rows })),
        productKeys: options.keyRing.publicKeys(),
      };
      const written = await writeArchiveFile(options.out, header, monthRows(client, month), boundaries.segments, signedInMonth, options.keyRing);
      exported = { header, ...written, storage };
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
    }

    const { header, storage } = exported;
    let detached: ArchiveMonthResult['detached'] = null;
    await client.query('BEGIN');
    try {
      await storeArchiveRecord(client, {
        month: month.month,
        from: header.from,
        to: header.to,
        startCheckpoint: { id: '', ...header.startCheckpoint },
        endCheckpoint: { id: '', ...header.endCheckpoint },
        rows: exported.rows,
        fileName: options.out,
        fileSha256: exported.fileSha256,
      });
      if (options.detach === true && storage.kind === 'partition') {
        // The rows detached must be the rows exported: a month that changed since is refused.
        const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${client.escapeIdentifier(storage.name)}`);
        if (Number(rows[0]?.n ?? -1) !== exported.rows) {
          throw new ArchiveRefusal('--detach', `partition ${storage.name} now holds ${rows[0]?.n} rows, the file ${exported.rows}; nothing was detached`);
        }
        await detachMonthPartition(client, storage.name, options.drop === true, options.lockTimeoutMs);
        await markArchiveDetached(client, month.month, storage.name, options.drop === true);
        detached = { partition: storage.name, dropped: options.drop === true };
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      if ((error as { code?: string }).code === '55P03') {
        throw new ArchiveRefusal('--detach', `ledger_event stayed locked by another reader or writer (a verification?) longer than the lock timeout; the file is written and nothing was recorded, try again`);
      }
      throw error;
    }
    return {
      month: month.month,
      file: options.out,
      rows: exported.rows,
      chains: header.segments.length,
      fileSha256: exported.fileSha256,
      bodySha256: exported.bodySha256,
      startCheckpoint: header.startCheckpoint,
      endCheckpoint: header.endCheckpoint,
      storage: storage.kind,
      detached,
    };
  } finally {
    client.release();
  }
}

/** An earlier month's signed end is where this month starts for a chain whose earlier rows are gone: it must be the product's. */
function checkEarlierArchives(records: readonly ArchiveRecord[], from: Date, trustedKeys: readonly string[]): void {
  for (const r of records) {
    if (Date.parse(r.to) > from.getTime()) continue;
    for (const [edge, cp] of [['start', r.startCheckpoint], ['end', r.endCheckpoint]] as const) {
      const result = verifyCheckpoint(cp, { trustedKeys });
      if (!result.ok) throw new ArchiveRefusal(`ledger_archive ${r.month}`, `its ${edge} checkpoint does not hold (${result.reason}); run \`qadaga ledger verify\``);
    }
  }
}

/** The positions stored checkpoints (signed by the ring's keys) signed inside the month's segments. */
async function storedSignedPositions(client: pg.PoolClient, segments: readonly MonthSegment[], trustedKeys: readonly string[]): Promise<Map<string, Map<string, string>>> {
  const bySegment = new Map(segments.map((s) => [s.chainId, s]));
  const positions = new Map<string, Map<string, string>>();
  const { rows } = await client.query<{ id: string; at: Date; ledger_heads: { chainId: string; seq: string; hash: string }[]; access_log_head: Record<string, unknown> | null; key_id: string; public_key: string; signature: string }>(
    'SELECT * FROM ledger_checkpoint ORDER BY id',
  );
  for (const r of rows) {
    const cp = { at: r.at.toISOString(), ledgerHeads: r.ledger_heads, accessLogHead: r.access_log_head, keyId: r.key_id, publicKey: r.public_key, signature: r.signature };
    if (!verifyCheckpoint(cp, { trustedKeys }).ok) continue;
    for (const h of r.ledger_heads) {
      const s = bySegment.get(h.chainId);
      if (s === undefined || BigInt(h.seq) <= BigInt(s.fromSeq) || BigInt(h.seq) > BigInt(s.toSeq)) continue;
      let chain = positions.get(h.chainId);
      if (chain === undefined) positions.set(h.chainId, (chain = new Map()));
      chain.set(h.seq, h.hash);
    }
  }
  return positions;
}

/**
 * Writes the file, checking each row as it goes. The file is written under a temporary name
 * and renamed once whole: a refusal half-way leaves nothing behind.
 */
async function writeArchiveFile(
  out: string,
  header: ArchiveHeader,
  rows: AsyncIterable<LedgerEventRow>,
  segments: readonly MonthSegment[],
  signedInMonth: ReadonlyMap<string, ReadonlyMap<string, string>>,
  keyRing: KeyRing,
): Promise<{ rows: number; fileSha256: string; bodySha256: string }> {
  const partial = `${out}.partial`;
  const gzip = createGzip();
  const file = createWriteStream(partial);
  const fileHash = createHash('sha256');
  gzip.on('data', (chunk: Buffer) => fileHash.update(chunk));
  gzip.pipe(file);
  const finished = once(file, 'close');
  // Awaited on success; on a refusal below the streams are torn down and the refusal is the
  // error that counts, so this promise must not surface as an unhandled rejection.
  finished.catch(() => undefined);
  const bodyHash = createHash('sha256');
  const write = async (line: string) => {
    const bytes = Buffer.from(`${line}\n`, 'utf8');
    bodyHash.update(bytes);
    if (!gzip.write(bytes)) await once(gzip, 'drain');
  };
  try {
    await write(JSON.stringify(header));
    const bySegment = new Map(segments.map((s) => [s.chainId, s]));
    let chain: { segment: MonthSegment; seq: bigint; hash: string } | null = null;
    const closeChain = () => {
      if (chain === null) return;
      const { segment } = chain;
      if (chain.seq !== BigInt(segment.toSeq) || chain.hash !== segment.toHash) {
        throw new ArchiveRefusal(`chain ${segment.chainId}`, `its rows in ${header.month} end at position ${chain.seq}, not at ${segment.toSeq} with the head read before; run \`qadaga ledger verify\``);
      }
    };
    let count = 0;
    for await (const row of rows) {
      if (chain === null || chain.segment.chainId !== row.chain_id) {
        closeChain();
        const segment = bySegment.get(row.chain_id);
        if (segment === undefined) throw new ArchiveRefusal(`chain ${row.chain_id}`, `has rows in ${header.month} that its boundaries did not count`);
        chain = { segment, seq: BigInt(segment.fromSeq), hash: segment.fromHash };
      }
      const seq = BigInt(row.chain_seq);
      const where = `chain ${row.chain_id} position ${row.chain_seq} (event ${row.source}/${row.event_id})`;
      if (seq !== chain.seq + 1n) throw new ArchiveRefusal(where, `follows position ${chain.seq}; run \`qadaga ledger verify\``);
      const event = rowToEvent(row);
      if (sha256Hex(canonicalEventForm(event)) !== row.content_hash) throw new ArchiveRefusal(where, 'no longer matches its content hash; run `qadaga ledger verify`');
      if (chainLink(seq, chain.hash, row.content_hash) !== row.chain_hash) throw new ArchiveRefusal(where, 'its link does not follow from the position before it; run `qadaga ledger verify`');
      const signed = signedInMonth.get(row.chain_id)?.get(row.chain_seq);
      if (signed !== undefined && signed !== row.chain_hash) throw new ArchiveRefusal(where, `holds ${row.chain_hash}, but a stored checkpoint signed ${signed}; run \`qadaga ledger verify\``);
      chain.seq = seq;
      chain.hash = row.chain_hash;
      count += 1;
      await write(eventLine({ event, chainId: row.chain_id, chainSeq: Number(row.chain_seq), contentHash: row.content_hash, chainHash: row.chain_hash, receivedAt: row.received_at.toISOString() }));
    }
    closeChain();
    const seen = count;
    const expected = segments.reduce((n, s) => n + s.rows, 0);
    if (seen !== expected) throw new ArchiveRefusal('--month', `${header.month} gave ${seen} rows, its boundaries counted ${expected}; run \`qadaga ledger verify\``);
    const bodySha256 = bodyHash.digest('hex');
    const body: ArchiveSealBody = { format: ARCHIVE_FORMAT, month: header.month, rows: seen, chains: segments.length, bodySha256 };
    const trailer: ArchiveTrailer = { trailer: { ...body, seal: keyRing.sign(sealSigningText(body)) } };
    gzip.end(`${JSON.stringify(trailer)}\n`);
    await finished;
    await rename(partial, out);
    return { rows: seen, fileSha256: fileHash.digest('hex'), bodySha256 };
  } catch (error) {
    // Unpiped first: output the gzip still holds would otherwise be written to a file
    // already destroyed, an error event nobody listens for.
    gzip.unpipe(file);
    gzip.destroy();
    file.destroy();
    await finished.catch(() => undefined);
    await rm(partial, { force: true });
    throw error;
  }
}
