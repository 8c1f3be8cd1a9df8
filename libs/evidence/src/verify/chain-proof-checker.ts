import { GENESIS_HASH, chainLink } from '@qadaga/domain/hashing';
import { FILES } from '../bundle/manifest.js';
import { verifyCheckpoint, type CheckpointBody } from '../signing/checkpoint.js';
import type { Signature } from '../signing/key-ring.js';
import type { EventChecker } from './event-checker.js';
import type { Failures } from './failures.js';
import { pinnedKeyRefusal, type PinnedKey } from './pinned-keys.js';

const PROOF = FILES.chainProof;
const HEX64 = /^[0-9a-f]{64}$/u;

interface Segment {
  chainId: string;
  checkpointId: string;
  fromSeq: number;
  toSeq: number;
  previousHash: string;
  links: { seq: number; contentHash: string; chainHash: string }[];
}

type ProofCheckpoint = CheckpointBody & Signature & { id: string; adHoc?: boolean };

export interface ProofContext {
  events: EventChecker;
  /** Keys the manifest lists as the product's; a checkpoint by any other key is reported. */
  productKeyIds: ReadonlySet<string>;
  /** The reader's keys, with periods; null when none were given (the manifest then reports the signer unknown). */
  pins: readonly PinnedKey[] | null;
  failures: Failures;
}

/**
 * Checks chain-proof.json against the events: every checkpoint's signature and signer,
 * every link recomputed from the previous one and the content hash (the event's own,
 * recomputed, where the bundle includes it), each segment ending on its checkpoint's
 * signed head, and every included event covered by a segment of its chain.
 */
export function checkChainProof(doc: unknown, ctx: ProofContext): { checkpoints: number; segments: number } {
  const { failures } = ctx;
  if (doc === null || typeof doc !== 'object') {
    failures.add(PROOF, 'is not a JSON object');
    return { checkpoints: 0, segments: 0 };
  }
  const proof = doc as { checkpoints?: unknown; segments?: unknown; genesisHash?: unknown };
  if (!Array.isArray(proof.checkpoints) || !Array.isArray(proof.segments)) {
    failures.add(PROOF, 'has no checkpoints or segments list');
    return { checkpoints: 0, segments: 0 };
  }
  const checkpoints = new Map<string, ProofCheckpoint>();
  for (const raw of proof.checkpoints as ProofCheckpoint[]) {
    const id = String(raw?.id);
    if (!isCheckpointShape(raw)) {
      failures.add(PROOF, `checkpoint ${id} is malformed (at, ledgerHeads, keyId, publicKey and signature are required)`);
      continue;
    }
    const signed = verifyCheckpoint(raw);
    const refusal = ctx.pins === null ? null : pinnedKeyRefusal(ctx.pins, raw, raw.at);
    if (!signed.ok) failures.add(PROOF, `checkpoint ${id}: ${signed.reason}`);
    else if (refusal !== null) failures.add(PROOF, `checkpoint ${id}: ${refusal}`);
    else if (!ctx.productKeyIds.has(raw.keyId)) failures.add(PROOF, `checkpoint ${id} is signed by unknown key id ${raw.keyId}, not one of the product keys the manifest lists`);
    checkpoints.set(id, raw);
  }

  const covered = new Map<string, [number, number][]>();
  for (const raw of proof.segments as Segment[]) {
    const seg = raw;
    const label = `segment of chain ${String(seg?.chainId)}`;
    if (!isSegmentShape(seg)) {
      failures.add(PROOF, `${label} is malformed`);
      continue;
    }
    const cp = checkpoints.get(seg.checkpointId);
    const head = cp?.ledgerHeads.find((h) => h.chainId === seg.chainId);
    if (cp === undefined) failures.add(PROOF, `${label} leads to checkpoint ${seg.checkpointId}, which the proof does not include`);
    else if (head === undefined) failures.add(PROOF, `${label}: checkpoint ${seg.checkpointId} has no head for chain ${seg.chainId}`);
    else if (String(head.seq) !== String(seg.toSeq)) failures.add(PROOF, `${label} ends at ${seg.toSeq}, checkpoint ${seg.checkpointId} signs position ${head.seq}`);
    if (seg.fromSeq === 1 && seg.previousHash !== GENESIS_HASH) failures.add(PROOF, `${label} starts at position 1 but not from the genesis hash`);

    const included = ctx.events.byChain.get(seg.chainId);
    let previous = seg.previousHash;
    let expectedSeq = seg.fromSeq;
    let intact = true;
    for (const link of seg.links) {
      if (link.seq !== expectedSeq) {
        failures.add(PROOF, `link ${seg.chainId}#${link.seq} is out of place: position ${expectedSeq} was expected`);
        intact = false;
        break;
      }
      const event = included?.get(link.seq);
      const at = event === undefined ? '' : `${seg.chainId}#${link.seq}`;
      let contentHash = link.contentHash;
      if (event !== undefined) {
        // An included event is proven by its own recomputed hash, not by the proof's copy.
        if (event.contentHash !== link.contentHash) {
          failures.add(FILES.events, `event ${event.source}/${event.eventId} at ${at} is not the event the chain holds: its content hashes to ${event.contentHash}, the chain links ${link.contentHash}`);
          intact = false;
          event.intact = false;
        }
        contentHash = event.contentHash;
        if (event.chainHash !== link.chainHash) {
          event.intact = false;
          failures.add(FILES.events, `event ${event.source}/${event.eventId} at ${at} states chain hash ${event.chainHash}, the chain proof has ${link.chainHash}`);
        }
      }
      const recomputed = chainLink(link.seq, previous, contentHash);
      if (recomputed !== link.chainHash && (event === undefined || event.contentHash === link.contentHash)) {
        failures.add(PROOF, `link ${seg.chainId}#${link.seq} does not follow from the link before it and its content hash`);
        intact = false;
      }
      // Resynchronise on the stated link so one bad link is reported once, not for the rest of the chain.
      previous = link.chainHash;
      expectedSeq += 1;
    }
    if (intact && expectedSeq !== seg.toSeq + 1) {
      failures.add(PROOF, `segment of chain ${seg.chainId} stops at ${expectedSeq - 1}, before its end ${seg.toSeq}`);
    } else if (intact && head !== undefined && previous !== head.hash) {
      failures.add(PROOF, `chain ${seg.chainId} does not reach the head signed by checkpoint ${seg.checkpointId}`);
    }
    const ranges = covered.get(seg.chainId) ?? [];
    ranges.push([seg.fromSeq, seg.toSeq]);
    covered.set(seg.chainId, ranges);
  }

  for (const [chainId, chain] of ctx.events.byChain) {
    const ranges = covered.get(chainId) ?? [];
    for (const e of chain.values()) {
      if (!ranges.some(([from, to]) => e.seq >= from && e.seq <= to)) {
        failures.add(FILES.events, `event ${e.source}/${e.eventId} at ${chainId}#${e.seq} is not covered by any chain proof`);
      }
    }
  }
  return { checkpoints: checkpoints.size, segments: (proof.segments as unknown[]).length };
}

function isCheckpointShape(cp: ProofCheckpoint | null | undefined): cp is ProofCheckpoint {
  return (
    cp !== null &&
    typeof cp === 'object' &&
    typeof cp.at === 'string' &&
    Array.isArray(cp.ledgerHeads) &&
    cp.ledgerHeads.every((h) => h !== null && typeof h === 'object' && typeof h.chainId === 'string' && (typeof h.seq === 'number' || typeof h.seq === 'string') && typeof h.hash === 'string') &&
    typeof cp.keyId === 'string' &&
    typeof cp.publicKey === 'string' &&
    typeof cp.signature === 'string'
  );
}

function isSegmentShape(s: Segment | null | undefined): s is Segment {
  return (
    s !== null &&
    typeof s === 'object' &&
    typeof s.chainId === 'string' &&
    typeof s.checkpointId === 'string' &&
    Number.isSafeInteger(s.fromSeq) &&
    Number.isSafeInteger(s.toSeq) &&
    typeof s.previousHash === 'string' &&
    HEX64.test(s.previousHash) &&
    Array.isArray(s.links) &&
    s.links.every((l) => l !== null && typeof l === 'object' && Number.isSafeInteger(l.seq) && typeof l.contentHash === 'string' && typeof l.chainHash === 'string')
  );
}
