import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import canonicalize from 'canonicalize';
import yauzl from 'yauzl';
import { sha256Hex } from '@qadaga/domain/hashing';
import { BUNDLE_FORMAT, FILES, manifestSigningText, type Manifest } from '../bundle/manifest.js';
import { verifySignature } from '../signing/key-ring.js';
import { checkChainProof } from './chain-proof-checker.js';
import { EventChecker } from './event-checker.js';
import { AccessLogChecker } from './access-log-checker.js';
import { Failures, type BundleFailure } from './failures.js';
import { pinnedKeyRefusal, pinnedKeysFromList, type PinnedKey } from './pinned-keys.js';

export interface VerifyBundleOptions {
  /**
   * The product's published keys (GET /v1/keys), with the period each was the signer: the
   * manifest and every checkpoint must be signed by one of them, at a time inside its period.
   */
  keys?: readonly PinnedKey[];
  /** Key ids (or raw base64 public keys) pinned without a period; pinned together with `keys`. */
  trustedKeys?: readonly string[];
  /**
   * What to tell the reader when no key is pinned, e.g. how to pass the product's keys.
   * Without pinned keys a bundle is not ok: anyone can rehash an edited bundle and sign it
   * with a key of their own, and the keys it embeds are the signer's word about itself.
   */
  unpinnedAdvice?: string;
}

export interface VerifyBundleResult {
  ok: boolean;
  failures: BundleFailure[];
  /** What was checked, for a human report. */
  checked: { files: number; events: number; flags: number; rules: number; checkpoints: number; signedBy: string | null };
  /**
   * True when no key was pinned, so the manifest's signer was reported as an unknown key.
   * With `failures` of length one, that is the only thing found wrong.
   */
  unpinned: boolean;
}

const BUNDLE = '(bundle)';
/** Files read whole to be parsed; the rest are only hashed as they stream. */
const PARSED = new Set<string>([FILES.manifest, FILES.chainProof, FILES.rules, FILES.flags, FILES.case]);
const MAX_PARSED_BYTES = 512 * 1024 * 1024;

interface EntryDigest {
  sha256: string;
  size: number;
}

/**
 * Verifies a bundle offline, from the ZIP alone: every file against the signed manifest,
 * every event against its recomputed hash and chain links up to signed checkpoints,
 * every rule definition against its hash, every flag's evidence against the events.
 * Each failure names the file at fault.
 */
export async function verifyBundle(source: string | Buffer | Readable, options: VerifyBundleOptions = {}): Promise<VerifyBundleResult> {
  const failures = new Failures();
  const checked: VerifyBundleResult['checked'] = { files: 0, events: 0, flags: 0, rules: 0, checkpoints: 0, signedBy: null };
  const pins = options.keys === undefined && options.trustedKeys === undefined ? null : [...(options.keys ?? []), ...pinnedKeysFromList(options.trustedKeys ?? [])];
  let unpinned = false;
  let staging: string | null = null;
  try {
    let zipfile: yauzl.ZipFile;
    try {
      if (Buffer.isBuffer(source)) zipfile = await yauzl.fromBufferPromise(source, { lazyEntries: true, strictFileNames: true });
      else if (typeof source === 'string') zipfile = await yauzl.openPromise(source, { lazyEntries: true, strictFileNames: true });
      else {
        // yauzl needs random access to the central directory: spool a stream to disk first.
        staging = await mkdtemp(path.join(tmpdir(), 'qadaga-verify-'));
        const spooled = path.join(staging, 'bundle.zip');
        await pipeline(source, createWriteStream(spooled));
        zipfile = await yauzl.openPromise(spooled, { lazyEntries: true, strictFileNames: true });
      }
    } catch (error) {
      failures.add(BUNDLE, `not a readable ZIP archive: ${error instanceof Error ? error.message : String(error)}`);
      return { ok: false, failures: failures.result(), checked, unpinned };
    }

    const digests = new Map<string, EntryDigest>();
    const parsed = new Map<string, Buffer>();
    const events = new EventChecker(failures);
    const accessLog = new AccessLogChecker(failures);
    try {
      for await (const entry of zipfile.eachEntry()) {
        const name = entry.fileName;
        if (digests.has(name)) {
          failures.add(name, 'appears twice in the archive');
          continue;
        }
        const digest = await readEntry(zipfile, entry, name, { events, accessLog }, parsed, failures);
        if (digest !== null) digests.set(name, digest);
      }
    } catch (error) {
      failures.add(BUNDLE, `the archive is damaged: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      zipfile.close();
    }
    checked.files = digests.size;
    checked.events = events.lines;

    const signer = { unknownUnpinned: false };
    const manifest = checkManifest(parsed.get(FILES.manifest), digests, { pins, unpinnedAdvice: options.unpinnedAdvice, signer }, failures);
    unpinned = signer.unknownUnpinned;
    checked.signedBy = manifest?.signature?.keyId ?? null;
    const productKeyIds = new Set((manifest?.productKeys ?? []).map((k) => k.keyId));

    const proof = parseJson(parsed, FILES.chainProof, failures);
    if (proof !== undefined) checked.checkpoints = checkChainProof(proof, { events, productKeyIds, pins, failures }).checkpoints;
    const ruleKeys = checkRules(parseJson(parsed, FILES.rules, failures), failures);
    checked.rules = ruleKeys.size;
    checked.flags = checkFlags(parseJson(parsed, FILES.flags, failures), ruleKeys, events, failures);
    if (manifest !== null && manifest.counts !== undefined && digests.has(FILES.events) && manifest.counts.events !== events.lines) {
      failures.add(FILES.events, `holds ${events.lines} events, the manifest counts ${manifest.counts.events}`);
    }
    if (manifest !== null && manifest.counts !== undefined && digests.has(FILES.accessLog) && manifest.counts.accessLogRows !== accessLog.rows) {
      failures.add(FILES.accessLog, `holds ${accessLog.rows} rows, the manifest counts ${manifest.counts.accessLogRows}`);
    }
    if (parsed.has(FILES.case)) parseJson(parsed, FILES.case, failures);
    const list = failures.result();
    return { ok: list.length === 0, failures: list, checked, unpinned };
  } finally {
    if (staging !== null) await rm(staging, { recursive: true, force: true });
  }
}

async function readEntry(
  zipfile: yauzl.ZipFile,
  entry: yauzl.Entry,
  name: string,
  streams: { events: EventChecker; accessLog: AccessLogChecker },
  parsed: Map<string, Buffer>,
  failures: Failures,
): Promise<EntryDigest | null> {
  const hash = createHash('sha256');
  let size = 0;
  const keep = PARSED.has(name);
  const chunks: Buffer[] = [];
  try {
    const stream = await zipfile.openReadStreamPromise(entry);
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
      if (name === FILES.events) streams.events.push(chunk);
      else if (name === FILES.accessLog) streams.accessLog.push(chunk);
      else if (keep && size <= MAX_PARSED_BYTES) chunks.push(chunk);
    }
  } catch (error) {
    failures.add(name, `cannot be read from the archive: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
  if (name === FILES.events) streams.events.end();
  if (name === FILES.accessLog) streams.accessLog.end();
  if (keep) {
    if (size > MAX_PARSED_BYTES) failures.add(name, `is larger than ${MAX_PARSED_BYTES} bytes`);
    else parsed.set(name, Buffer.concat(chunks));
  }
  return { sha256: hash.digest('hex'), size };
}

function parseJson(parsed: Map<string, Buffer>, name: string, failures: Failures): unknown {
  const bytes = parsed.get(name);
  if (bytes === undefined) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    failures.add(name, 'is not valid JSON');
    return undefined;
  }
}

const UNPINNED_ADVICE = "pass the product's published keys (GET /v1/keys) to check who signed it";

function checkManifest(
  bytes: Buffer | undefined,
  digests: Map<string, EntryDigest>,
  options: { pins: readonly PinnedKey[] | null; unpinnedAdvice: string | undefined; signer: { unknownUnpinned: boolean } },
  failures: Failures,
): Manifest | null {
  if (bytes === undefined) {
    failures.add(FILES.manifest, 'is missing: nothing in the bundle can be checked against it');
    for (const name of digests.keys()) failures.add(name, 'cannot be checked: the bundle has no manifest');
    return null;
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(bytes.toString('utf8')) as Manifest;
    if (manifest === null || typeof manifest !== 'object' || !Array.isArray(manifest.files)) throw new Error('shape');
  } catch {
    failures.add(FILES.manifest, 'is not a JSON manifest with a files list');
    return null;
  }
  if (manifest.format !== BUNDLE_FORMAT) failures.add(FILES.manifest, `format is ${String(manifest.format)}, this verifier reads ${BUNDLE_FORMAT}`);

  const sig = manifest.signature;
  if (sig === undefined || sig === null || typeof sig.signature !== 'string' || typeof sig.publicKey !== 'string' || typeof sig.keyId !== 'string') {
    failures.add(FILES.manifest, 'has no signature block (keyId, publicKey, signature)');
  } else {
    const verdict = verifySignature(manifestSigningText(manifest), sig);
    if (!verdict.ok) failures.add(FILES.manifest, `signature invalid: ${verdict.reason}`);
    // The signer is judged by the reader's keys, never by the keys the bundle carries.
    if (options.pins === null) {
      failures.add(FILES.manifest, `signed by an unknown key ${sig.keyId}: ${options.unpinnedAdvice ?? UNPINNED_ADVICE}`);
      options.signer.unknownUnpinned = true;
    } else {
      const refusal = pinnedKeyRefusal(options.pins, sig, manifest.generatedAt);
      if (refusal !== null) failures.add(FILES.manifest, refusal);
    }
  }

  const listed = new Map<string, { sha256: string; size: number }>();
  for (const f of manifest.files) {
    if (f === null || typeof f !== 'object' || typeof f.name !== 'string') {
      failures.add(FILES.manifest, 'lists a file without a name');
      continue;
    }
    if (f.name === FILES.manifest) failures.add(FILES.manifest, 'lists itself');
    listed.set(f.name, f);
    const actual = digests.get(f.name);
    if (actual === undefined) {
      failures.add(f.name, 'is listed in the manifest but missing from the bundle');
      continue;
    }
    if (actual.size !== f.size) failures.add(f.name, `size is ${actual.size} bytes, the manifest says ${f.size}`);
    if (actual.sha256 !== f.sha256) failures.add(f.name, `SHA-256 is ${actual.sha256}, the manifest says ${f.sha256}`);
  }
  for (const name of digests.keys()) {
    if (name !== FILES.manifest && !listed.has(name)) failures.add(name, 'is in the bundle but not listed in the manifest');
  }
  const required: string[] = [FILES.events, FILES.eventsCsv, FILES.chainProof, FILES.rules, FILES.flags, FILES.accessLog, FILES.summary];
  if (manifest.case !== null && manifest.case !== undefined) required.push(FILES.case);
  for (const name of required) {
    if (!listed.has(name) && !digests.has(name)) failures.add(name, 'is missing from the bundle and from its manifest');
  }
  return manifest;
}

/** Recomputes each definition's hash; returns the rule versions present, as "ruleId@version". */
function checkRules(doc: unknown, failures: Failures): Set<string> {
  const keys = new Set<string>();
  if (doc === undefined) return keys;
  if (!Array.isArray(doc)) {
    failures.add(FILES.rules, 'is not a list of rule versions');
    return keys;
  }
  for (const r of doc as { ruleId?: unknown; version?: unknown; definition?: unknown; definitionHash?: unknown; parameters?: unknown }[]) {
    const id = `${String(r?.ruleId)}@${String(r?.version)}`;
    if (r === null || typeof r !== 'object' || r.definition === null || typeof r.definition !== 'object') {
      failures.add(FILES.rules, `rule ${id} has no definition`);
      continue;
    }
    keys.add(id);
    const recomputed = sha256Hex(canonicalize(r.definition) ?? '');
    if (recomputed !== r.definitionHash) failures.add(FILES.rules, `rule ${id}: the definition hashes to ${recomputed}, the bundle states ${String(r.definitionHash)}`);
    const stated = canonicalize(r.parameters ?? {});
    const inDefinition = canonicalize((r.definition as Record<string, unknown>)['parameters'] ?? {});
    if (stated !== inDefinition) failures.add(FILES.rules, `rule ${id}: the parameters listed differ from those of the definition`);
  }
  return keys;
}

/** Each flag's rule version must be in rules.json and each cited event in events.ndjson, with the same hash. */
function checkFlags(doc: unknown, ruleKeys: Set<string>, events: EventChecker, failures: Failures): number {
  if (doc === undefined) return 0;
  if (!Array.isArray(doc)) {
    failures.add(FILES.flags, 'is not a list of flags');
    return 0;
  }
  for (const f of doc as { id?: unknown; ruleId?: unknown; ruleVersion?: unknown; evidence?: unknown }[]) {
    const id = String(f?.id);
    if (!ruleKeys.has(`${String(f?.ruleId)}@${String(f?.ruleVersion)}`)) failures.add(FILES.flags, `flag ${id} names rule ${String(f?.ruleId)} version ${String(f?.ruleVersion)}, which rules.json does not hold`);
    if (!Array.isArray(f?.evidence)) {
      failures.add(FILES.flags, `flag ${id} has no evidence list`);
      continue;
    }
    for (const ev of f.evidence as { source?: unknown; eventId?: unknown; contentHash?: unknown; chainHash?: unknown }[]) {
      const key = `${String(ev?.source)}|${String(ev?.eventId)}`;
      const event = events.byKey.get(key);
      if (event === undefined) failures.add(FILES.flags, `flag ${id} cites event ${String(ev?.source)}/${String(ev?.eventId)}, which events.ndjson does not hold`);
      else if (event.intact && (event.contentHash !== ev.contentHash || event.chainHash !== ev.chainHash)) {
        failures.add(FILES.flags, `flag ${id} cites event ${String(ev.source)}/${String(ev.eventId)} with hashes that differ from the event's`);
      }
    }
  }
  return doc.length;
}
