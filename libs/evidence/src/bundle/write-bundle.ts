import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { GENESIS_HASH } from '@qadaga/domain/hashing';
import { SIGNATURE_ALGORITHM, type KeyRing } from '../signing/key-ring.js';
import type { BundleCheckpoint, BundleInput, BundleProgress, BundleRuleVersion } from './bundle-input.js';
import { CSV_HEADER, csvRow, eventCsvRow, eventLine } from './event-format.js';
import { EventStats } from './event-stats.js';
import { BUNDLE_FORMAT, FILES, manifestSigningText, type Manifest, type ManifestFile } from './manifest.js';
import { renderSummary } from './summary-html.js';
import { ZipSink, StagedFile } from './zip-sink.js';

export const CHAIN_PROOF_FORMAT = 'qadaga-chain-proof/1';

const HEX64 = /^[0-9a-f]{64}$/u;

export interface BundleResult {
  /** SHA-256 and size of the ZIP as written. */
  sha256: string;
  size: number;
  files: ManifestFile[];
  manifest: Manifest;
}

/**
 * Streams a signed evidence bundle as a ZIP into `out`. Events and chain links are pulled
 * from their iterables while the archive is written; events.csv is staged in a temporary
 * file during the same pass, so the events are read once. Same input, same bytes.
 */
export async function writeBundle(input: BundleInput, out: Writable, keyRing: KeyRing, onProgress?: (p: BundleProgress) => void): Promise<BundleResult> {
  if (Number.isNaN(Date.parse(input.generatedAt))) throw new Error(`generatedAt: not an ISO 8601 instant (${input.generatedAt})`);
  const report = (percent: number, phase: string) => onProgress?.({ percent: Math.max(0, Math.min(100, Math.round(percent))), phase });
  const zip = new ZipSink(out, input.generatedAt);
  const staging = await mkdtemp(path.join(tmpdir(), 'qadaga-bundle-'));
  const files: ManifestFile[] = [];
  try {
    report(0, 'start');
    if (input.case !== null) files.push(await writeJson(zip, FILES.case, input.case));
    files.push(await writeJson(zip, FILES.rules, rulesDocument(input.rules)));
    files.push(await writeJson(zip, FILES.flags, input.flags));
    report(5, 'events');

    const stats = new EventStats();
    const events = zip.entry(FILES.events);
    const csvPath = path.join(staging, FILES.eventsCsv);
    const csv = new StagedFile(FILES.eventsCsv, createWriteStream(csvPath));
    await csv.write(csvRow(CSV_HEADER));
    const expected = input.eventCount ?? 0;
    for await (const e of input.events) {
      stats.add(e);
      await events.write(`${eventLine(e)}\n`);
      await csv.write(eventCsvRow(e));
      if (expected > 0 && stats.total % 1_000 === 0) report(5 + (65 * Math.min(stats.total, expected)) / expected, 'events');
    }
    files.push(await events.end());
    files.push(await csv.end());
    zip.fileEntry(FILES.eventsCsv, csvPath);
    report(70, 'chain proof');

    files.push(await writeChainProof(zip, input));
    report(90, 'access log');

    const accessLog = zip.entry(FILES.accessLog);
    let accessLogRows = 0;
    for await (const row of input.accessLog) {
      accessLogRows += 1;
      await accessLog.write(`${JSON.stringify(row)}\n`);
    }
    files.push(await accessLog.end());
    report(95, 'summary');

    const summary = zip.entry(FILES.summary);
    await summary.write(renderSummary({ input, stats, files: sortFiles(files), accessLogRows }));
    files.push(await summary.end());

    const manifest = signManifest(input, sortFiles(files), { events: stats.total, accessLogRows }, keyRing);
    const manifestEntry = zip.entry(FILES.manifest);
    await manifestEntry.write(`${JSON.stringify(manifest, null, 2)}\n`);
    await manifestEntry.end();
    const written = await zip.finish();
    report(100, 'done');
    return { ...written, files: manifest.files, manifest };
  } catch (error) {
    await zip.abort(error);
    throw zip.error ?? error;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function writeJson(zip: ZipSink, name: string, value: unknown): Promise<ManifestFile> {
  const entry = zip.entry(name);
  await entry.write(`${JSON.stringify(value, null, 2)}\n`);
  return entry.end();
}

function rulesDocument(rules: readonly BundleRuleVersion[]): unknown[] {
  return [...rules]
    .sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : a.version - b.version))
    .map((r) => ({
      ruleId: r.ruleId,
      version: r.version,
      status: r.status,
      parameters: r.definition['parameters'] ?? {},
      definitionHash: r.definitionHash,
      authorId: r.authorId ?? null,
      approvedBy: r.approvedBy ?? null,
      publishedBy: r.publishedBy ?? null,
      publishedAt: r.publishedAt ?? null,
      definition: r.definition,
    }));
}

function checkpointDocument(cp: BundleCheckpoint): Record<string, unknown> {
  return {
    id: cp.id,
    adHoc: cp.adHoc,
    at: cp.at,
    ledgerHeads: cp.ledgerHeads,
    accessLogHead: cp.accessLogHead,
    keyId: cp.keyId,
    publicKey: cp.publicKey,
    signature: cp.signature,
  };
}

/** One link per line, so the proof reads (and diffs) as a table. */
async function writeChainProof(zip: ZipSink, input: BundleInput): Promise<ManifestFile> {
  const entry = zip.entry(FILES.chainProof);
  const head = {
    format: CHAIN_PROOF_FORMAT,
    link: 'chainHash(seq) = SHA-256(decimal seq + "\\n" + chainHash(seq - 1) + "\\n" + contentHash(seq)); contentHash = SHA-256 of the RFC 8785 canonical event; chainHash(0) = genesisHash',
    genesisHash: GENESIS_HASH,
    checkpoints: input.checkpoints.map(checkpointDocument),
  };
  const headText = JSON.stringify(head, null, 2);
  await entry.write(`${headText.slice(0, -2)},\n  "segments": [`);
  let firstSegment = true;
  for (const s of input.chainProofs) {
    const meta = JSON.stringify({ chainId: s.chainId, checkpointId: s.checkpointId, fromSeq: s.fromSeq, toSeq: s.toSeq, previousHash: s.previousHash });
    await entry.write(`${firstSegment ? '' : ','}\n    ${meta.slice(0, -1)},"links":[`);
    firstSegment = false;
    let firstLink = true;
    for await (const l of s.links) {
      // Hex hashes and integer positions need no escaping; anything else goes through JSON.stringify.
      const plain = Number.isSafeInteger(l.seq) && HEX64.test(l.contentHash) && HEX64.test(l.chainHash);
      const link = plain ? `{"seq":${l.seq},"contentHash":"${l.contentHash}","chainHash":"${l.chainHash}"}` : JSON.stringify({ seq: l.seq, contentHash: l.contentHash, chainHash: l.chainHash });
      await entry.write(`${firstLink ? '' : ','}\n      ${link}`);
      firstLink = false;
    }
    await entry.write('\n    ]}');
  }
  await entry.write('\n  ]\n}\n');
  return entry.end();
}

function sortFiles(files: ManifestFile[]): ManifestFile[] {
  return [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function signManifest(input: BundleInput, files: ManifestFile[], counts: { events: number; accessLogRows: number }, keyRing: KeyRing): Manifest {
  const c = input.case?.case;
  const unsigned: Omit<Manifest, 'signature'> = {
    format: BUNDLE_FORMAT,
    productVersion: input.productVersion,
    generatedAt: input.generatedAt,
    generatedBy: input.generatedBy.name === undefined ? { id: input.generatedBy.id } : { id: input.generatedBy.id, name: input.generatedBy.name },
    reason: input.reason,
    selection: input.selection,
    case: c === undefined ? null : { id: c.id, number: typeof c.number === 'string' ? c.number : null, title: typeof c.title === 'string' ? c.title : null },
    counts: { events: counts.events, flags: input.flags.length, rules: input.rules.length, checkpoints: input.checkpoints.length, accessLogRows: counts.accessLogRows },
    productKeys: mergeKeys(keyRing.publicKeys(), input.productKeys ?? []),
    remarks: input.remarks ?? [],
    files,
  };
  const signed = keyRing.sign(manifestSigningText(unsigned));
  return { ...unsigned, signature: { algorithm: SIGNATURE_ALGORITHM, keyId: signed.keyId, publicKey: signed.publicKey, signature: signed.signature } };
}

function mergeKeys(a: { keyId: string; publicKey: string }[], b: { keyId: string; publicKey: string }[]): { keyId: string; publicKey: string }[] {
  const seen = new Set<string>();
  const out: { keyId: string; publicKey: string }[] = [];
  for (const k of [...a, ...b]) {
    if (seen.has(k.keyId)) continue;
    seen.add(k.keyId);
    out.push({ keyId: k.keyId, publicKey: k.publicKey });
  }
  return out;
}
