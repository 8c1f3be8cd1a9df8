import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { GENESIS_HASH, chainLink, sha256Hex } from '@qadaga/domain/hashing';
import { verifyCheckpoint, type SignedCheckpoint } from '../signing/checkpoint.js';
import { verifySignature, type Signature } from '../signing/key-ring.js';
import { canonicalEventOfLine } from '../verify/canonical-event.js';
import { Failures, type BundleFailure } from '../verify/failures.js';
import { LineSplitter } from '../verify/line-splitter.js';
import { pinnedKeyRefusal, pinnedKeysFromList, type PinnedKey } from '../verify/pinned-keys.js';
import { ARCHIVE_FORMAT, sealSigningText, type ArchiveHeader, type ArchiveSealBody } from './archive-format.js';

export interface VerifyArchiveOptions {
  /** The product's keys as the reader holds them (GET /v1/keys, PEM, ids); the signer must be one of them. */
  keys?: readonly PinnedKey[];
  /** Key ids or base64 public keys pinned with no period known. */
  trustedKeys?: readonly string[];
  /** What to do when no key is pinned, appended to the "unknown key" failure. */
  unpinnedAdvice?: string;
}

export interface VerifyArchiveResult {
  ok: boolean;
  /** Nothing is wrong but that no key was pinned: who signed is unproven. */
  unpinned: boolean;
  /** `file` names the part at fault: header, rows, trailer or (file). */
  failures: BundleFailure[];
  checked: { month: string | null; rows: number; chains: number; signedBy: string | null };
}

const HEX64 = /^[0-9a-f]{64}$/u;
const DECIMAL = /^(0|[1-9][0-9]*)$/u;

interface Expected {
  chainId: string;
  fromSeq: bigint;
  fromHash: string;
  toSeq: bigint;
  toHash: string;
}

/**
 * Verifies a ledger archive from the file alone, offline: the boundary checkpoints' and
 * the seal's signatures against the pinned keys, every row's content hash recomputed from
 * its fields, every link from the signed start to the signed end of each chain, the counts,
 * and the hash of everything before the trailer. A file cut short names the chains and
 * positions it lacks.
 */
export async function verifyLedgerArchive(source: string | Buffer, options: VerifyArchiveOptions = {}): Promise<VerifyArchiveResult> {
  const failures = new Failures();
  const pins = options.keys === undefined && options.trustedKeys === undefined ? null : [...(options.keys ?? []), ...pinnedKeysFromList(options.trustedKeys ?? [])];
  const state = new ArchiveReader(failures, pins, options.unpinnedAdvice);
  const input = typeof source === 'string' ? createReadStream(source) : Readable.from([source]);
  const gunzip = createGunzip();
  const splitter = new LineSplitter((line) => state.line(line));
  try {
    for await (const chunk of input.pipe(gunzip)) splitter.push(chunk as Buffer);
    splitter.end();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if ((error as { code?: string }).code === 'ENOENT') failures.add('(file)', `cannot be read: ${message}`);
    else failures.add('(file)', `the compressed stream breaks off after line ${state.lines} (${message}): the file is cut short or damaged`);
    input.destroy();
  }
  state.end();
  const list = failures.result();
  return { ok: list.length === 0, unpinned: state.unpinned, failures: list, checked: state.checked() };
}

class ArchiveReader {
  lines = 0;
  unpinned = false;
  private header: ArchiveHeader | null = null;
  private signedBy: string | null = null;
  private readonly expected = new Map<string, Expected>();
  private readonly done = new Set<string>();
  private current: { exp: Expected; seq: bigint; hash: string } | null = null;
  private rows = 0;
  private trailer: (ArchiveSealBody & { seal: Signature }) | null = null;
  private readonly body = createHash('sha256');
  private bodySha256: string | null = null;

  constructor(
    private readonly failures: Failures,
    private readonly pins: readonly PinnedKey[] | null,
    private readonly unpinnedAdvice: string | undefined,
  ) {}

  checked(): VerifyArchiveResult['checked'] {
    return { month: this.header?.month ?? null, rows: this.rows, chains: this.done.size, signedBy: this.signedBy };
  }

  line(text: string): void {
    if (text.trim() === '') return;
    this.lines += 1;
    const where = `line ${this.lines}`;
    let parsed: Record<string, unknown>;
    try {
      const value: unknown = JSON.parse(text);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
      parsed = value as Record<string, unknown>;
    } catch {
      this.failures.add(this.lines === 1 ? 'header' : 'rows', `${where} is not a JSON object`);
      this.hash(text);
      return;
    }
    if (this.trailer !== null) {
      this.failures.add('trailer', `${where} comes after the trailer`);
      return;
    }
    if (this.lines === 1) this.readHeader(parsed);
    else if ('trailer' in parsed) {
      this.bodySha256 = this.body.digest('hex');
      this.readTrailer(parsed['trailer'], where);
      return;
    } else if (this.header !== null) this.readRow(parsed, where);
    this.hash(text);
  }

  private hash(text: string): void {
    if (this.bodySha256 === null) this.body.update(`${text}\n`, 'utf8');
  }

  private readHeader(h: Record<string, unknown>): void {
    if (h['format'] !== ARCHIVE_FORMAT) {
      this.failures.add('header', `format is ${JSON.stringify(h['format'])}, not ${ARCHIVE_FORMAT}: not a ledger archive this verifier knows`);
      return;
    }
    const header = h as unknown as ArchiveHeader;
    if (typeof header.month !== 'string' || Number.isNaN(Date.parse(String(header.from))) || Number.isNaN(Date.parse(String(header.to)))) {
      this.failures.add('header', 'month, from and to are required');
      return;
    }
    const start = this.checkpoint(header.startCheckpoint, 'start');
    const end = this.checkpoint(header.endCheckpoint, 'end');
    if (start === null || end === null) return;
    this.header = header;
    const before = new Map(start.ledgerHeads.map((s) => [s.chainId, s]));
    for (const s of start.ledgerHeads) {
      if (!end.ledgerHeads.some((e) => e.chainId === s.chainId)) this.failures.add('header', `chain ${s.chainId} has a start position (${s.seq}) but no end position: the checkpoints do not belong together`);
    }
    for (const e of end.ledgerHeads) {
      const s = before.get(e.chainId);
      const exp: Expected = { chainId: e.chainId, fromSeq: BigInt(s?.seq ?? '0'), fromHash: s?.hash ?? GENESIS_HASH, toSeq: BigInt(e.seq), toHash: e.hash };
      if (exp.toSeq < exp.fromSeq) {
        this.failures.add('header', `chain ${e.chainId}: the end checkpoint signs position ${exp.toSeq}, before the start checkpoint's ${exp.fromSeq}: the boundaries are swapped or from other months`);
        continue;
      }
      if (exp.toSeq > exp.fromSeq) this.expected.set(e.chainId, exp);
    }
    const stated = Array.isArray(header.segments) ? header.segments : [];
    for (const seg of stated) {
      const exp = this.expected.get(String(seg?.chainId));
      if (exp === undefined || String(exp.fromSeq) !== String(seg.fromSeq) || String(exp.toSeq) !== String(seg.toSeq)) {
        this.failures.add('header', `segment of chain ${String(seg?.chainId)} (${String(seg?.fromSeq)}..${String(seg?.toSeq)}) is not what the signed checkpoints bound`);
      }
    }
    if (stated.length !== this.expected.size) this.failures.add('header', `lists ${stated.length} segments, the signed checkpoints bound ${this.expected.size}`);
  }

  /** A boundary checkpoint, if its signature holds with the key it carries and that key is pinned. */
  private checkpoint(raw: unknown, edge: 'start' | 'end'): SignedCheckpoint<null> | null {
    const cp = raw as SignedCheckpoint<null> | null;
    const name = `${edge} checkpoint`;
    if (
      cp === null ||
      typeof cp !== 'object' ||
      typeof cp.at !== 'string' ||
      !Array.isArray(cp.ledgerHeads) ||
      !cp.ledgerHeads.every((h) => typeof h?.chainId === 'string' && typeof h.seq === 'string' && DECIMAL.test(h.seq) && typeof h.hash === 'string' && HEX64.test(h.hash))
    ) {
      this.failures.add('header', `the ${name} is missing or malformed (at, ledgerHeads [{chainId, seq, hash}], keyId, publicKey, signature)`);
      return null;
    }
    const signed = verifyCheckpoint(cp);
    if (!signed.ok) {
      this.failures.add('header', `the ${name}: ${signed.reason}`);
      return null;
    }
    this.signer(cp, cp.at, 'header', name);
    return cp;
  }

  /** Who signed is judged only by the pinned keys, never by the keys the file carries. */
  private signer(signed: { keyId: string; publicKey: string }, at: unknown, part: string, name: string): void {
    this.signedBy ??= signed.keyId;
    if (this.pins === null) {
      if (!this.unpinned) this.failures.add(part, `the ${name} is signed by an unknown key ${signed.keyId}${this.unpinnedAdvice === undefined ? '' : `: ${this.unpinnedAdvice}`}`);
      this.unpinned = true;
      return;
    }
    const refusal = pinnedKeyRefusal(this.pins, signed, at);
    if (refusal !== null) this.failures.add(part, `the ${name} is ${refusal}`);
  }

  private readRow(row: Record<string, unknown>, where: string): void {
    const { chainId, chainSeq, source, eventId, contentHash, chainHash, receivedAt } = row;
    if (typeof chainId !== 'string' || typeof source !== 'string' || typeof eventId !== 'string' || typeof chainSeq !== 'number' || !Number.isSafeInteger(chainSeq)) {
      this.failures.add('rows', `${where} lacks chainId, chainSeq, source or eventId`);
      return;
    }
    this.rows += 1;
    const at = `chain ${chainId} position ${chainSeq} (event ${source}/${eventId}, ${where})`;
    if (this.current === null || this.current.exp.chainId !== chainId) {
      this.closeChain();
      const exp = this.expected.get(chainId);
      if (exp === undefined) {
        this.failures.add('rows', `${at}: the signed checkpoints bound no rows of chain ${chainId} in this month`);
        return;
      }
      if (this.done.has(chainId)) {
        this.failures.add('rows', `${at}: chain ${chainId} resumes after other chains; rows come in chain order`);
        return;
      }
      this.current = { exp, seq: exp.fromSeq, hash: exp.fromHash };
    }
    const cur = this.current;
    const seq = BigInt(chainSeq);
    if (seq !== cur.seq + 1n) {
      this.failures.add('rows', `${at}: position ${cur.seq + 1n} was expected${seq > cur.seq + 1n ? ` (positions ${cur.seq + 1n}..${seq - 1n} are missing)` : ''}`);
    }
    if (typeof contentHash !== 'string' || typeof chainHash !== 'string' || !HEX64.test(chainHash)) {
      this.failures.add('rows', `${at}: contentHash and chainHash must be 64 hex digits`);
      return;
    }
    let recomputed: string;
    try {
      recomputed = sha256Hex(canonicalEventOfLine(row));
    } catch {
      this.failures.add('rows', `${at} cannot be put in canonical form`);
      return;
    }
    if (recomputed !== contentHash) this.failures.add('rows', `${at} was changed: its content hashes to ${recomputed}, the file states ${contentHash}`);
    else if (seq === cur.seq + 1n && chainLink(seq, cur.hash, recomputed) !== chainHash) this.failures.add('rows', `${at}: its link does not follow from position ${cur.seq}`);
    const header = this.header as ArchiveHeader;
    const received = typeof receivedAt === 'string' ? Date.parse(receivedAt) : Number.NaN;
    if (Number.isNaN(received) || received < Date.parse(header.from) || received >= Date.parse(header.to)) {
      this.failures.add('rows', `${at}: received ${String(receivedAt)}, outside ${header.month}`);
    }
    // Resynchronise on the stated link, so one bad row is named once.
    cur.seq = seq;
    cur.hash = chainHash;
  }

  private closeChain(): void {
    const cur = this.current;
    if (cur === null) return;
    this.current = null;
    this.done.add(cur.exp.chainId);
    if (cur.seq < cur.exp.toSeq) {
      this.failures.add('rows', `chain ${cur.exp.chainId}: positions ${cur.seq + 1n}..${cur.exp.toSeq} are missing (the end checkpoint signs ${cur.exp.toSeq})`);
    } else if (cur.seq === cur.exp.toSeq && cur.hash !== cur.exp.toHash) {
      this.failures.add('rows', `chain ${cur.exp.chainId}: the rows lead to ${cur.hash} at position ${cur.seq}, but the end checkpoint signed ${cur.exp.toHash}: rows were rewritten`);
    } else if (cur.seq > cur.exp.toSeq) {
      this.failures.add('rows', `chain ${cur.exp.chainId}: rows go on to position ${cur.seq}, beyond ${cur.exp.toSeq} that the end checkpoint signs`);
    }
  }

  private readTrailer(raw: unknown, where: string): void {
    this.closeChain();
    const t = raw as (ArchiveSealBody & { seal: Signature }) | null;
    if (t === null || typeof t !== 'object' || typeof t.seal !== 'object' || t.seal === null) {
      this.failures.add('trailer', `${where}: the trailer is malformed (format, month, rows, chains, bodySha256, seal)`);
      this.trailer = { format: ARCHIVE_FORMAT, month: '', rows: -1, chains: -1, bodySha256: '', seal: { keyId: '', publicKey: '', signature: '' } };
      return;
    }
    this.trailer = t;
    if (t.rows !== this.rows) this.failures.add('trailer', `counts ${String(t.rows)} rows, the file holds ${this.rows}`);
    if (t.chains !== this.expected.size) this.failures.add('trailer', `counts ${String(t.chains)} chains, the signed checkpoints bound ${this.expected.size}`);
    if (t.bodySha256 !== this.bodySha256) this.failures.add('trailer', `states the file before it hashes to ${String(t.bodySha256)}, it hashes to ${this.bodySha256 ?? ''}`);
    if (this.header !== null && t.month !== this.header.month) this.failures.add('trailer', `is for ${String(t.month)}, the header for ${this.header.month}`);
    const sealed = verifySignature(sealSigningText({ format: ARCHIVE_FORMAT, month: String(t.month), rows: Number(t.rows), chains: Number(t.chains), bodySha256: String(t.bodySha256) }), t.seal);
    if (!sealed.ok) this.failures.add('trailer', `the seal: ${sealed.reason}`);
    else this.signer(t.seal, this.header?.generatedAt, 'trailer', 'seal');
  }

  end(): void {
    this.closeChain();
    if (this.lines === 0) {
      this.failures.add('(file)', 'holds no lines: not a ledger archive');
      return;
    }
    const missing = [...this.expected.values()].filter((e) => !this.done.has(e.chainId));
    for (const e of missing) this.failures.add('rows', `chain ${e.chainId}: positions ${e.fromSeq + 1n}..${e.toSeq} are missing (the end checkpoint signs ${e.toSeq})`);
    if (this.trailer === null) {
      this.failures.add('trailer', `missing: the file is cut short after line ${this.lines}${this.header === null ? '' : ` (${this.rows} rows read)`}`);
    }
  }
}
