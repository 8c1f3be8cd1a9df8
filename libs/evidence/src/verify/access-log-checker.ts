import canonicalize from 'canonicalize';
import { chainLink, sha256Hex } from '@qadaga/domain/hashing';
import { FILES } from '../bundle/manifest.js';
import type { Failures } from './failures.js';
import { LineSplitter } from './line-splitter.js';

/**
 * The content hash of an access-log row: RFC 8785 over its recorded fields, as the access
 * log computes it when it writes the row (libs/db access-log.ts; a spec keeps the two equal).
 */
export function accessRowContentHash(row: Record<string, unknown>): string {
  const text = canonicalize({
    at: row['at'],
    principal: row['principal'],
    roles: row['roles'],
    action: row['action'],
    subjectKind: row['subjectKind'],
    subjectId: row['subjectId'],
    reason: row['reason'],
    details: row['details'],
  });
  if (text === undefined) throw new Error('access row cannot be canonicalised');
  return sha256Hex(text);
}

interface ChainedRow {
  id: string;
  contentHash: string;
  chainHash: string;
}

/**
 * Checks the access-log rows a bundle carries where they bear their chain fields: each
 * row's content against its hash, and each row against the one before it in its lane
 * when both are in the bundle. Rows without chain fields are only covered by the manifest.
 */
export class AccessLogChecker {
  rows = 0;
  private readonly lanes = new Map<string, Map<number, ChainedRow>>();
  private readonly splitter = new LineSplitter((line) => this.line(line));

  constructor(private readonly failures: Failures) {}

  push(chunk: Buffer): void {
    this.splitter.push(chunk);
  }

  end(): void {
    this.splitter.end();
    for (const [lane, rows] of this.lanes) {
      for (const [seq, row] of rows) {
        const before = rows.get(seq - 1);
        if (before === undefined) continue;
        if (chainLink(seq, before.chainHash, row.contentHash) !== row.chainHash) {
          this.failures.add(FILES.accessLog, `row ${row.id} (lane ${lane} #${seq}) does not follow from the row before it in its lane`);
        }
      }
    }
  }

  private line(text: string): void {
    if (text.trim() === '') return;
    this.rows += 1;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(text) as Record<string, unknown>;
      if (row === null || typeof row !== 'object' || Array.isArray(row)) throw new Error('not an object');
    } catch {
      this.failures.add(FILES.accessLog, `line ${this.rows} is not a JSON object`);
      return;
    }
    const { contentHash, chainHash, lane, seq } = row;
    if (typeof contentHash !== 'string' || typeof chainHash !== 'string') return;
    const id = String(row['id'] ?? `on line ${this.rows}`);
    let recomputed: string;
    try {
      recomputed = accessRowContentHash(row);
    } catch {
      this.failures.add(FILES.accessLog, `row ${id} cannot be put in canonical form`);
      return;
    }
    if (recomputed !== contentHash) this.failures.add(FILES.accessLog, `row ${id} was changed: its content hashes to ${recomputed}, the row states ${contentHash}`);
    const position = Number(seq);
    if ((typeof lane !== 'number' && typeof lane !== 'string') || !Number.isSafeInteger(position)) return;
    const laneRows = this.lanes.get(String(lane)) ?? new Map<number, ChainedRow>();
    laneRows.set(position, { id, contentHash: recomputed, chainHash });
    this.lanes.set(String(lane), laneRows);
  }
}
