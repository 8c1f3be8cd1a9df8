import type pg from 'pg';
import { GENESIS_HASH, chainLink } from '@qadaga/domain/hashing';
import { accessLogPositionLookup, compareSignedPositions, signedAccessLogPositions, trustedCheckpoints, type CheckpointFailureKind, type CheckpointFinding, type CheckpointOptions, type CheckpointOrigin, type CheckpointSummary } from '../verify/checkpoint-check.js';
import { ACCESS_LOG_COLUMNS, accessLogContentHash, fromDb, type AccessLogDbRow } from '@qadaga/db';

export type AccessLogFailureKind = 'content_edited' | 'link_broken' | 'rows_missing' | 'row_inserted' | 'row_unchained' | 'tail_missing' | 'head_mismatch' | CheckpointFailureKind;

export interface AccessLogFailure {
  kind: AccessLogFailureKind;
  lane: number | null;
  seq: string | null;
  rowId: string | null;
  message: string;
  /** For a comparison with a signed checkpoint: the hash it signed, the hash found (null: no row), and which checkpoint. */
  signedHash?: string | null;
  foundHash?: string | null;
  checkpoint?: CheckpointOrigin;
}

export interface AccessLogVerifyReport {
  ok: boolean;
  rowsChecked: number;
  lanes: { lane: number; headSeq: string; headHash: string }[];
  failures: AccessLogFailure[];
  /** How many signed checkpoints the lanes were held to, and whether their signatures were checked. */
  checkpoints: CheckpointSummary;
}

export interface AccessLogVerifyOptions {
  maxFailures?: number;
  /** Checkpoints kept elsewhere, and the signature check; the stored checkpoints are always compared. */
  checkpoints?: CheckpointOptions;
}

const PAGE = 5_000;

/**
 * Recomputes the access log's chains from the rows alone, as the ledger's verifier does
 * for events: an edited, deleted or inserted row is named, and a row with no place in
 * any chain (written around the writer) is reported as unchained.
 */
export class AccessLogVerifier {
  constructor(private readonly pool: pg.Pool) {}

  async verify(options: AccessLogVerifyOptions = {}): Promise<AccessLogVerifyReport> {
    const maxFailures = options.maxFailures ?? 1_000;
    const failures: AccessLogFailure[] = [];
    const fail = (f: AccessLogFailure) => {
      if (failures.length < maxFailures) failures.push(f);
    };
    const unchained = await this.pool.query<{ id: string }>('SELECT id FROM access_log WHERE seq IS NULL OR lane IS NULL ORDER BY id LIMIT $1', [maxFailures]);
    for (const r of unchained.rows) fail({ kind: 'row_unchained', lane: null, seq: null, rowId: r.id, message: `row ${r.id} is not part of any chain` });

    const heads = await this.pool.query<{ lane: number; head_seq: string; head_hash: string }>('SELECT lane, head_seq, head_hash FROM access_log_chain ORDER BY lane');
    const laneIds = new Set(heads.rows.map((h) => h.lane));
    const used = await this.pool.query<{ lane: number }>('SELECT DISTINCT lane FROM access_log WHERE lane IS NOT NULL');
    for (const r of used.rows) laneIds.add(r.lane);

    let rowsChecked = unchained.rows.length;
    const lanes: AccessLogVerifyReport['lanes'] = [];
    for (const lane of [...laneIds].sort((a, b) => a - b)) {
      let expected = 1n;
      let previous = GENESIS_HASH;
      let after = 0n;
      let afterId = '0';
      for (;;) {
        const page = await this.pool.query<AccessLogDbRow>(
          `SELECT ${ACCESS_LOG_COLUMNS} FROM access_log WHERE lane = $1 AND (seq, id) > ($2::bigint, $3::bigint) ORDER BY seq, id LIMIT ${PAGE}`,
          [lane, after.toString(), afterId],
        );
        for (const db of page.rows) {
          rowsChecked += 1;
          const row = fromDb(db);
          const seq = BigInt(row.seq ?? '0');
          const where = { lane, seq: row.seq, rowId: row.id };
          if (seq < expected) {
            fail({ kind: 'row_inserted', ...where, message: `a second row claims position ${seq} of lane ${lane}` });
            continue;
          }
          const contentOk = accessLogContentHash(row) === row.contentHash;
          if (seq > expected) {
            fail({ kind: 'rows_missing', ...where, seq: expected.toString(), message: `positions ${expected}..${seq - 1n} of lane ${lane} are missing before row ${row.id}` });
            // The link cannot be checked across the gap, but the row's own content still can.
            if (!contentOk) fail({ kind: 'content_edited', ...where, message: `row ${row.id} no longer matches its hash` });
            previous = row.chainHash ?? previous;
            expected = seq + 1n;
            continue;
          }
          if (!contentOk) fail({ kind: 'content_edited', ...where, message: `row ${row.id} no longer matches its hash` });
          else if (chainLink(seq, previous, row.contentHash ?? '') !== row.chainHash) {
            fail({ kind: 'link_broken', ...where, message: `the link of position ${seq} of lane ${lane} does not follow from the previous one` });
          }
          previous = row.chainHash ?? previous;
          expected = seq + 1n;
        }
        const last = page.rows.at(-1);
        if (last === undefined || page.rows.length < PAGE) break;
        after = BigInt(last.seq ?? '0');
        afterId = last.id;
      }
      const lastSeq = expected - 1n;
      const head = heads.rows.find((h) => h.lane === lane);
      if (head === undefined) fail({ kind: 'head_mismatch', lane, seq: lastSeq.toString(), rowId: null, message: `lane ${lane} has rows but no head` });
      else if (BigInt(head.head_seq) > lastSeq) fail({ kind: 'tail_missing', lane, seq: (lastSeq + 1n).toString(), rowId: null, message: `the head of lane ${lane} says ${head.head_seq} rows, the last found is ${lastSeq}` });
      else if (BigInt(head.head_seq) < lastSeq) fail({ kind: 'row_inserted', lane, seq: (BigInt(head.head_seq) + 1n).toString(), rowId: null, message: `rows beyond the recorded head of lane ${lane}` });
      else if (head.head_hash !== previous) fail({ kind: 'head_mismatch', lane, seq: lastSeq.toString(), rowId: null, message: `the recorded head of lane ${lane} does not match its last link` });
      lanes.push({ lane, headSeq: lastSeq.toString(), headHash: previous });
    }
    const held = await this.compareWithCheckpoints(options.checkpoints);
    for (const f of held.findings) {
      fail({ kind: f.kind, lane: f.chain === null ? null : Number(f.chain), seq: f.seq, rowId: null, message: f.message, signedHash: f.signedHash, foundHash: f.foundHash, checkpoint: f.checkpoint });
    }
    return { ok: failures.length === 0, rowsChecked, lanes, failures, checkpoints: held.summary };
  }

  /**
   * Holds the lanes to every signed checkpoint's access-log heads: one indexed lookup per
   * distinct signed position, in one snapshot with the heads they are compared with.
   */
  private async compareWithCheckpoints(options: CheckpointOptions | undefined): Promise<{ findings: CheckpointFinding[]; summary: CheckpointSummary }> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const trusted = await trustedCheckpoints(client, options);
      const { rows } = await client.query<{ lane: number; head_seq: string; head_hash: string }>('SELECT lane, head_seq, head_hash FROM access_log_chain');
      const heads = new Map(rows.map((h) => [String(h.lane), { seq: h.head_seq, hash: h.head_hash }]));
      const findings = await compareSignedPositions(signedAccessLogPositions(trusted.checkpoints), heads, accessLogPositionLookup(client), (lane) => `access-log lane ${lane}`);
      await client.query('COMMIT');
      return { findings: [...trusted.findings, ...findings], summary: trusted.summary };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
