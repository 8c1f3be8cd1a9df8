import canonicalize from 'canonicalize';
import type { SignedCheckpoint } from '../signing/checkpoint.js';
import type { Signature } from '../signing/key-ring.js';

/**
 * A ledger archive: one month of the ledger as gzip'd NDJSON, checkable with nothing but
 * the file and the product's public keys.
 *
 *   line 1        header: format, month, the signed start and end checkpoints (every
 *                 chain's last position before the month and at its end), the segments
 *   lines 2..n+1  the month's rows in chain order, each an events.ndjson line of a bundle
 *   last line     trailer: counts, the SHA-256 of every byte before it, and a seal (the
 *                 product's signature over format, month, counts and that hash)
 *
 * The checkpoints prove the rows (each link recomputed from the signed start must reach
 * the signed end); the seal proves the rest (received times, the header's own fields), and
 * a trailer that is missing says the file was cut short.
 */
export const ARCHIVE_FORMAT = 'qadaga-ledger-archive/1';

/** One chain's stretch in the month: positions fromSeq + 1 .. toSeq. */
export interface ArchiveSegment {
  chainId: string;
  fromSeq: string;
  toSeq: string;
  rows: number;
}

export interface ArchiveHeader {
  format: typeof ARCHIVE_FORMAT;
  month: string;
  from: string;
  to: string;
  generatedAt: string;
  startCheckpoint: SignedCheckpoint<null>;
  endCheckpoint: SignedCheckpoint<null>;
  segments: ArchiveSegment[];
  /** The key ring's public keys when the file was written: what a reader may choose to pin. */
  productKeys: { keyId: string; publicKey: string }[];
}

export interface ArchiveSealBody {
  format: typeof ARCHIVE_FORMAT;
  month: string;
  rows: number;
  chains: number;
  /** SHA-256 (hex) of every byte of the uncompressed file before the trailer line. */
  bodySha256: string;
}

export interface ArchiveTrailer {
  trailer: ArchiveSealBody & { seal: Signature };
}

/** The exact text the seal signs: RFC 8785 canonical JSON of its body. */
export function sealSigningText(body: ArchiveSealBody): string {
  const text = canonicalize({ format: body.format, month: body.month, rows: body.rows, chains: body.chains, bodySha256: body.bodySha256 });
  if (text === undefined) throw new Error('archive seal cannot be canonicalised');
  return text;
}
