import { sha256Hex } from '@qadaga/domain/hashing';
import { FILES } from '../bundle/manifest.js';
import { canonicalEventOfLine } from './canonical-event.js';
import { LineSplitter } from './line-splitter.js';
import type { Failures } from './failures.js';

export interface CheckedEvent {
  source: string;
  eventId: string;
  chainId: string;
  seq: number;
  /** Recomputed from the event's reported fields, never taken from the file. */
  contentHash: string;
  /** As the file states it; the chain proof decides whether it holds. */
  chainHash: string;
  statedContentHash: string;
  /** False once any check of this event failed, so others do not blame their own file for it. */
  intact: boolean;
}

const HEX64 = /^[0-9a-f]{64}$/u;

/**
 * Reads events.ndjson as it streams out of the archive: recomputes each event's content
 * hash from its reported fields and keeps what the chain proof needs to check its link.
 */
export class EventChecker {
  /** chain id -> position -> event */
  readonly byChain = new Map<string, Map<number, CheckedEvent>>();
  readonly byKey = new Map<string, CheckedEvent>();
  lines = 0;
  private readonly splitter = new LineSplitter((line) => this.line(line));

  constructor(private readonly failures: Failures) {}

  push(chunk: Buffer): void {
    this.splitter.push(chunk);
  }

  end(): void {
    this.splitter.end();
  }

  private line(text: string): void {
    if (text.trim() === '') return;
    this.lines += 1;
    const where = `line ${this.lines}`;
    let row: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      row = parsed as Record<string, unknown>;
    } catch {
      this.failures.add(FILES.events, `${where} is not a JSON object`);
      return;
    }
    const { chainId, chainSeq, source, eventId, contentHash, chainHash } = row;
    if (typeof chainId !== 'string' || typeof source !== 'string' || typeof eventId !== 'string') {
      this.failures.add(FILES.events, `${where} lacks chainId, source or eventId`);
      return;
    }
    if (typeof chainSeq !== 'number' || !Number.isSafeInteger(chainSeq) || chainSeq < 1) {
      this.failures.add(FILES.events, `${where} (event ${source}/${eventId}): chainSeq must be a positive integer`);
      return;
    }
    if (typeof contentHash !== 'string' || typeof chainHash !== 'string' || !HEX64.test(chainHash)) {
      this.failures.add(FILES.events, `${where} (event ${source}/${eventId}): contentHash and chainHash must be 64 hex digits`);
      return;
    }
    let recomputed: string;
    try {
      recomputed = sha256Hex(canonicalEventOfLine(row));
    } catch {
      this.failures.add(FILES.events, `${where} (event ${source}/${eventId}) cannot be put in canonical form`);
      return;
    }
    if (recomputed !== contentHash) {
      this.failures.add(FILES.events, `event ${source}/${eventId} (${chainId}#${chainSeq}, ${where}) was changed: its content hashes to ${recomputed}, the bundle states ${contentHash}`);
    }
    const checked: CheckedEvent = { source, eventId, chainId, seq: chainSeq, contentHash: recomputed, chainHash, statedContentHash: contentHash, intact: recomputed === contentHash };
    let chain = this.byChain.get(chainId);
    if (chain === undefined) {
      chain = new Map();
      this.byChain.set(chainId, chain);
    }
    if (chain.has(chainSeq)) this.failures.add(FILES.events, `${where}: a second event claims position ${chainId}#${chainSeq}`);
    const key = `${source}|${eventId}`;
    if (this.byKey.has(key)) this.failures.add(FILES.events, `${where}: event ${source}/${eventId} appears twice`);
    chain.set(chainSeq, checked);
    this.byKey.set(key, checked);
  }
}
