import type { Pool } from 'pg';
import { GENESIS_HASH, canonicalEventForm, chainLink, sha256Hex } from '@qadaga/domain/hashing';
import { LEDGER_EVENT_COLUMNS, rowToEvent, type LedgerEventRow } from './ledger-row.js';

export type VerifyFailureKind =
  | 'content_edited'
  | 'link_broken'
  | 'rows_missing'
  | 'row_inserted'
  | 'tail_missing'
  | 'head_mismatch';

export interface VerifyFailure {
  kind: VerifyFailureKind;
  chainId: string;
  /** Chain position concerned (the first missing one for gaps). */
  seq: string;
  rowId: string | null;
  eventId: string | null;
  message: string;
}

export interface ChainReport {
  chainId: string;
  rows: number;
  headSeq: string;
  headHash: string;
}

export interface VerifyReport {
  ok: boolean;
  rowsChecked: number;
  chains: ChainReport[];
  failures: VerifyFailure[];
}

const PAGE = 5_000;

/**
 * Recomputes every chain from the rows alone and names each row that was edited,
 * deleted or inserted. After a failure it resynchronises on the stored link, so one
 * tampered row is reported once rather than poisoning the rest of the chain.
 */
export class LedgerVerifier {
  constructor(private readonly pool: Pool) {}

  async verify(options: { chainIds?: string[]; maxFailures?: number } = {}): Promise<VerifyReport> {
    const maxFailures = options.maxFailures ?? 1_000;
    const heads = await this.pool.query<{ chain_id: string; head_seq: string; head_hash: string }>(
      'SELECT chain_id, head_seq, head_hash FROM ledger_chain ORDER BY chain_id',
    );
    const chainIds = new Set(heads.rows.map((h) => h.chain_id));
    // A chain with rows but no head row had its head deleted: still verify its rows.
    const orphan = await this.pool.query<{ chain_id: string }>('SELECT DISTINCT chain_id FROM ledger_event');
    for (const r of orphan.rows) chainIds.add(r.chain_id);
    const wanted = options.chainIds === undefined ? [...chainIds].sort() : options.chainIds;

    const failures: VerifyFailure[] = [];
    const chains: ChainReport[] = [];
    let rowsChecked = 0;
    for (const chainId of wanted) {
      const head = heads.rows.find((h) => h.chain_id === chainId);
      const report = await this.verifyChain(chainId, head, failures, maxFailures);
      rowsChecked += report.rows;
      // Lanes never written to have nothing to prove.
      if (report.rows > 0 || (head !== undefined && head.head_seq !== '0')) chains.push(report);
    }
    return { ok: failures.length === 0, rowsChecked, chains, failures };
  }

  private async verifyChain(
    chainId: string,
    head: { head_seq: string; head_hash: string } | undefined,
    failures: VerifyFailure[],
    maxFailures: number,
  ): Promise<ChainReport> {
    const fail = (f: Omit<VerifyFailure, 'chainId'>) => {
      if (failures.length < maxFailures) failures.push({ chainId, ...f });
    };
    let expectedSeq = 1n;
    let previous = GENESIS_HASH;
    let lastRowId = -1n;
    let rows = 0;
    let afterSeq = 0n;
    let afterId = 0n;
    for (;;) {
      // Keyset pagination over (chain_seq, id) so duplicate positions (an inserted row
      // reusing a number) are still all seen.
      const page = await this.pool.query<LedgerEventRow>(
        `SELECT ${LEDGER_EVENT_COLUMNS} FROM ledger_event WHERE chain_id = $1 AND (chain_seq, id) > ($2::bigint, $3::bigint)
         ORDER BY chain_seq, id LIMIT ${PAGE}`,
        [chainId, afterSeq.toString(), afterId.toString()],
      );
      for (const row of page.rows) {
        rows += 1;
        const seq = BigInt(row.chain_seq);
        const rowId = BigInt(row.id);
        const where = { seq: row.chain_seq, rowId: row.id, eventId: row.event_id };
        if (seq < expectedSeq) {
          fail({ kind: 'row_inserted', ...where, message: `a second row claims position ${row.chain_seq}` });
          continue;
        }
        if (seq > expectedSeq) {
          fail({
            kind: 'rows_missing',
            ...where,
            seq: expectedSeq.toString(),
            message: `positions ${expectedSeq}..${seq - 1n} are missing before event ${row.event_id}`,
          });
          // The link cannot be checked across a gap: resume from this row's stored link.
          previous = row.chain_hash;
          expectedSeq = seq + 1n;
          lastRowId = rowId;
          checkContent(row, where, fail);
          continue;
        }
        if (rowId < lastRowId) {
          fail({ kind: 'row_inserted', ...where, message: `row ${row.id} was written after the rows that follow it in the chain` });
        }
        const contentOk = checkContent(row, where, fail);
        const link = chainLink(seq, previous, row.content_hash);
        if (link !== row.chain_hash && contentOk) {
          fail({ kind: 'link_broken', ...where, message: `the stored link of position ${row.chain_seq} does not follow from the previous one` });
        }
        previous = row.chain_hash;
        expectedSeq = seq + 1n;
        lastRowId = rowId;
      }
      const last = page.rows.at(-1);
      if (last === undefined || page.rows.length < PAGE) break;
      afterSeq = BigInt(last.chain_seq);
      afterId = BigInt(last.id);
    }
    const lastSeq = expectedSeq - 1n;
    if (head === undefined) {
      fail({ kind: 'head_mismatch', seq: lastSeq.toString(), rowId: null, eventId: null, message: 'the chain has rows but no head record' });
    } else {
      const headSeq = BigInt(head.head_seq);
      if (headSeq > lastSeq) {
        fail({ kind: 'tail_missing', seq: (lastSeq + 1n).toString(), rowId: null, eventId: null, message: `the head says ${headSeq} rows, the last row found is ${lastSeq}` });
      } else if (headSeq < lastSeq) {
        fail({ kind: 'row_inserted', seq: (headSeq + 1n).toString(), rowId: null, eventId: null, message: `rows beyond the recorded head ${headSeq} (up to ${lastSeq})` });
      } else if (head.head_hash !== previous) {
        fail({ kind: 'head_mismatch', seq: lastSeq.toString(), rowId: null, eventId: null, message: 'the recorded head hash does not match the last link' });
      }
    }
    return { chainId, rows, headSeq: lastSeq.toString(), headHash: previous };
  }
}

/** Recomputes the content hash from the row's columns; a mismatch means the row was edited. */
function checkContent(
  row: LedgerEventRow,
  where: { seq: string; rowId: string; eventId: string },
  fail: (f: Omit<VerifyFailure, 'chainId'>) => void,
): boolean {
  const recomputed = sha256Hex(canonicalEventForm(rowToEvent(row)));
  if (recomputed === row.content_hash) return true;
  fail({ kind: 'content_edited', ...where, message: `event ${row.event_id} at position ${row.chain_seq} no longer matches its hash` });
  return false;
}
