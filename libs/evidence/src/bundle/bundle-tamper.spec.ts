import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalEventForm, sha256Hex } from '@qadaga/domain/hashing';
import { eventOfLine } from './event-format.js';
import { manifestSigningText, type Manifest } from './manifest.js';
import { writeBundle } from './write-bundle.js';
import { KeyRing, generateSigningKey } from '../signing/key-ring.js';
import { signCheckpoint } from '../signing/checkpoint.js';
import { verifyBundle, type VerifyBundleResult } from '../verify/verify-bundle.js';
import { memorySink, readZipEntries, syntheticBundleInput, writeZipEntries, type ZipEntryBytes } from '../testing/index.js';
import { Writable } from 'node:stream';
import type { BundleEvent, BundleInput, BundleProgress } from './bundle-input.js';

const key = generateSigningKey();
const ring = KeyRing.of(key);
/** The reader holds the product's key, as a court would from GET /v1/keys. */
const PINNED = { trustedKeys: [key.keyId] };
let bundle: Buffer;
let entries: ZipEntryBytes[];

async function write(input: BundleInput, keyRing: KeyRing = ring): Promise<Buffer> {
  const sink = memorySink();
  await writeBundle(input, sink.stream, keyRing);
  return sink.bytes();
}

function text(name: string, from: ZipEntryBytes[] = entries): string {
  const e = from.find((x) => x.name === name);
  if (e === undefined) throw new Error(`no ${name} in the bundle`);
  return e.data.toString('utf8');
}

/** The bundle with one entry's bytes replaced and everything else as it was. */
async function replaced(name: string, edit: (data: Buffer) => Buffer, from: ZipEntryBytes[] = entries): Promise<Buffer> {
  return writeZipEntries(from.map((e) => (e.name === name ? { name, data: edit(Buffer.from(e.data)) } : e)));
}

/** Changes one byte: the character at the given text position becomes another of its kind. */
function changeByteAt(data: Buffer, index: number): Buffer {
  const c = data[index] as number;
  const isDigit = c >= 0x30 && c <= 0x39;
  const isHexLetter = c >= 0x61 && c <= 0x66;
  data[index] = isDigit ? (c === 0x39 ? 0x30 : c + 1) : isHexLetter ? (c === 0x66 ? 0x61 : c + 1) : c === 0x7a ? 0x61 : c + 1;
  return data;
}

function changeByteAfter(marker: string, offset = 0): (data: Buffer) => Buffer {
  return (data) => {
    const at = data.indexOf(marker);
    if (at < 0) throw new Error(`marker ${marker} not found`);
    return changeByteAt(data, at + marker.length + offset);
  };
}

function filesNamed(result: VerifyBundleResult): string[] {
  return [...new Set(result.failures.map((f) => f.file))].sort();
}

beforeAll(async () => {
  // Every other chain position is a case event; the rest appear in the proof as links only.
  bundle = await write(syntheticBundleInput(ring, { events: 200, chains: 2, stride: 2 }));
  entries = await readZipEntries(bundle);
});

describe('an untampered bundle', () => {
  it('verifies, from a path, a buffer or a stream', async () => {
    const result = await verifyBundle(bundle, PINNED);
    expect(result).toMatchObject({ ok: true, failures: [] });
    expect(result.checked).toMatchObject({ files: 9, events: 100, flags: 1, rules: 1, checkpoints: 1, signedBy: key.keyId });
    const { Readable } = await import('node:stream');
    expect((await verifyBundle(Readable.from([bundle]), PINNED)).ok).toBe(true);
  });

  it('holds the files a prosecutor needs, in a fixed order, the manifest last', () => {
    expect(entries.map((e) => e.name)).toEqual(['case.json', 'rules.json', 'flags.json', 'events.ndjson', 'events.csv', 'chain-proof.json', 'access-log.ndjson', 'summary.html', 'manifest.json']);
    const manifest = JSON.parse(text('manifest.json')) as Manifest;
    expect(manifest.files.map((f) => f.name)).toEqual(['access-log.ndjson', 'case.json', 'chain-proof.json', 'events.csv', 'events.ndjson', 'flags.json', 'rules.json', 'summary.html']);
    expect(manifest).toMatchObject({ case: { id: 'c-1', number: 'C-2026-0007' }, generatedBy: { id: 'u-prosecutor' }, reason: 'referral to the prosecutor office' });
    expect(text('events.csv').split('\r\n')).toHaveLength(102);
    const summary = text('summary.html');
    expect(summary).toContain('<svg');
    expect(summary).not.toMatch(/<(script|link|img|iframe|object)\b|\b(src|href)=/u);
  });
});

describe('streaming', () => {
  it('pulls events only as fast as the output takes them, and reports progress up to 100', async () => {
    const base = syntheticBundleInput(ring, { events: 20_000, chains: 1 });
    const events = base.events as BundleEvent[];
    let produced = 0;
    async function* lazy(): AsyncGenerator<BundleEvent> {
      for (const e of events) {
        produced += 1;
        yield e;
      }
    }
    let open = false;
    const waiting: (() => void)[] = [];
    // An output that takes nothing until it is opened, like a slow disk or client.
    const out = new Writable({
      write(_chunk, _enc, cb) {
        if (open) cb();
        else waiting.push(() => cb());
      },
    });
    const progress: BundleProgress[] = [];
    const done = writeBundle({ ...base, events: lazy() }, out, ring, (p) => progress.push(p));
    let last = -1;
    for (let still = 0; still < 5; ) {
      await new Promise((r) => setTimeout(r, 20));
      still = produced === last ? still + 1 : 0;
      last = produced;
    }
    const stalled = produced;
    open = true;
    for (const cb of waiting.splice(0)) cb();
    await done;
    expect(stalled).toBeLessThan(events.length / 4);
    expect(produced).toBe(events.length);
    const percents = progress.map((p) => p.percent);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(progress.at(-1)).toEqual({ percent: 100, phase: 'done' });
    expect(percents.filter((p) => p > 5 && p < 70).length).toBeGreaterThan(5);
  });
});

describe('tampering is named by file', () => {
  it('one byte of events.ndjson', async () => {
    // A digit of the first event's speed: the event no longer hashes to its chain link.
    const result = await verifyBundle(await replaced('events.ndjson', changeByteAfter('"speed":')), PINNED);
    expect(result.ok).toBe(false);
    expect(filesNamed(result)).toEqual(['events.ndjson']);
    expect(result.failures.some((f) => /event cam-0\/cam-0-1 .*was changed/u.test(f.reason))).toBe(true);
  });

  it.each([
    ['flags.json', '"dismissalShare": 0.'],
    ['rules.json', '"default": 0.'],
    ['case.json', '"title": "Cancellations by O'],
    ['summary.html', '<h1>Evidence bund'],
    ['access-log.ndjson', '"principal":"u-pros'],
    ['events.csv', 'cam-1,cam-1-'],
  ])('one byte of %s', async (name, marker) => {
    const result = await verifyBundle(await replaced(name, changeByteAfter(marker)), PINNED);
    expect(result.ok).toBe(false);
    expect(filesNamed(result)).toEqual([name]);
    expect(result.failures[0]?.reason).toMatch(/SHA-256 is [0-9a-f]{64}, the manifest says/u);
  });

  it('an edited rule definition no longer matches its stated hash', async () => {
    const result = await verifyBundle(await replaced('rules.json', changeByteAfter('"name": "Officer cancels an unusual ')), PINNED);
    expect(filesNamed(result)).toEqual(['rules.json']);
    expect(result.failures.map((f) => f.reason)).toContainEqual(expect.stringMatching(/^rule officer-dismissal-share@1: the definition hashes to/u));
  });

  it('one byte of manifest.json', async () => {
    const result = await verifyBundle(await replaced('manifest.json', changeByteAfter('"reason": "referral to the ')), PINNED);
    expect(filesNamed(result)).toEqual(['manifest.json']);
    expect(result.failures[0]?.reason).toMatch(/^signature invalid/u);
  });

  it('one byte of the signature', async () => {
    const result = await verifyBundle(await replaced('manifest.json', changeByteAfter('"signature": "', 5)), PINNED);
    expect(filesNamed(result)).toEqual(['manifest.json']);
    expect(result.failures[0]?.reason).toMatch(/^signature invalid: the signature by key [0-9a-f]{16} does not match/u);
  });

  it('a file removed', async () => {
    const result = await verifyBundle(await writeZipEntries(entries.filter((e) => e.name !== 'events.csv')), PINNED);
    expect(result.failures).toEqual([{ file: 'events.csv', reason: 'is listed in the manifest but missing from the bundle' }]);
  });

  it('a file added', async () => {
    const result = await verifyBundle(await writeZipEntries([...entries, { name: 'note.txt', data: Buffer.from('planted') }]), PINNED);
    expect(result.failures).toEqual([{ file: 'note.txt', reason: 'is in the bundle but not listed in the manifest' }]);
  });

  it('the manifest removed', async () => {
    const result = await verifyBundle(await writeZipEntries(entries.filter((e) => e.name !== 'manifest.json')), PINNED);
    expect(result.ok).toBe(false);
    expect(result.failures[0]).toEqual({ file: 'manifest.json', reason: 'is missing: nothing in the bundle can be checked against it' });
  });

  it('one link of chain-proof.json', async () => {
    // Position 2 of chain cam-0 is not a case event: only the proof's copy of its hash proves it.
    const result = await verifyBundle(await replaced('chain-proof.json', changeByteAfter('{"seq":2,"contentHash":"', 10)), PINNED);
    expect(filesNamed(result)).toEqual(['chain-proof.json']);
    expect(result.failures.map((f) => f.reason)).toContainEqual('link cam-0/0#2 does not follow from the link before it and its content hash');
  });

  it('not a ZIP at all', async () => {
    const result = await verifyBundle(Buffer.from('not a zip'), PINNED);
    expect(result).toMatchObject({ ok: false, failures: [{ file: '(bundle)' }] });
  });
});

describe('a forger who re-signs the manifest', () => {
  /** Edits one event, restates its content hash, rehashes every file and signs with a key of their own. */
  async function forge(): Promise<Buffer> {
    const lines = text('events.ndjson').trimEnd().split('\n');
    const row = JSON.parse(lines[0] as string) as Record<string, unknown>;
    (row['payload'] as Record<string, unknown>)['speed'] = 59;
    row['contentHash'] = sha256Hex(canonicalEventForm(eventOfLine(row)));
    lines[0] = JSON.stringify(row);
    const edited = entries.map((e) => (e.name === 'events.ndjson' ? { name: e.name, data: Buffer.from(`${lines.join('\n')}\n`) } : e));
    const manifest = JSON.parse(text('manifest.json')) as Manifest;
    manifest.files = manifest.files.map((f) => {
      const data = (edited.find((e) => e.name === f.name) as ZipEntryBytes).data;
      return { name: f.name, size: data.length, sha256: sha256Hex(data.toString('utf8')) };
    });
    const forger = KeyRing.of(generateSigningKey());
    const sig = forger.sign(manifestSigningText(manifest));
    manifest.signature = { algorithm: 'Ed25519', ...sig };
    return writeZipEntries(edited.map((e) => (e.name === 'manifest.json' ? { name: e.name, data: Buffer.from(JSON.stringify(manifest)) } : e)));
  }

  it('is caught by the chain proof, whatever keys the reader holds: the edited event does not lead to the signed checkpoint', async () => {
    const result = await verifyBundle(await forge());
    expect(filesNamed(result)).toEqual(['events.ndjson', 'manifest.json']);
    expect(result.failures.find((f) => f.file === 'events.ndjson')?.reason).toMatch(/^event cam-0\/cam-0-1 at cam-0\/0#1 is not the event the chain holds/u);
  });

  it('and by the trusted keys: the manifest is signed by a key the reader does not trust', async () => {
    const result = await verifyBundle(await forge(), { trustedKeys: [key.keyId] });
    expect(result.failures).toContainEqual({ file: 'manifest.json', reason: expect.stringMatching(/^signed by an unknown key [0-9a-f]{16}: not among the 1 pinned key$/u) });
    expect((await verifyBundle(bundle, { trustedKeys: [key.keyId] })).ok).toBe(true);
  });
});

describe('determinism', () => {
  it('two writes of the same input give the same bytes, whatever the time zone', async () => {
    const input = () => syntheticBundleInput(ring, { events: 60, chains: 2, stride: 3 });
    const zone = process.env['TZ'];
    try {
      process.env['TZ'] = 'UTC';
      const a = await write(input());
      process.env['TZ'] = 'Asia/Almaty';
      const b = await write(input());
      expect(b.equals(a)).toBe(true);
      const manifests = await Promise.all([a, b].map(async (z) => JSON.parse(text('manifest.json', await readZipEntries(z))) as Manifest));
      expect(manifests[1]?.files).toEqual(manifests[0]?.files);
    } finally {
      if (zone === undefined) delete process.env['TZ'];
      else process.env['TZ'] = zone;
    }
  });

  it('a different generation time changes the manifest and the archive, not the evidence files', async () => {
    const a = await readZipEntries(await write(syntheticBundleInput(ring, { events: 20 })));
    const b = await readZipEntries(await write(syntheticBundleInput(ring, { events: 20, generatedAt: '2026-06-03T10:00:00.000Z' })));
    for (const name of ['events.ndjson', 'chain-proof.json', 'flags.json', 'rules.json']) expect(text(name, b)).toBe(text(name, a));
    expect(text('manifest.json', b)).not.toBe(text('manifest.json', a));
  });
});

describe('key rotation', () => {
  const oldKey = generateSigningKey();
  const newKey = generateSigningKey();
  const before = KeyRing.of(oldKey);
  const after = new KeyRing({ activeKeyId: newKey.keyId, keys: [{ keyId: newKey.keyId, privateKeyPem: newKey.privateKeyPem }, { keyId: oldKey.keyId, publicKeyPem: oldKey.publicKeyPem }] });

  it('a bundle signed by the old key still verifies with the ring\'s keys after rotation', async () => {
    const old = await write(syntheticBundleInput(before, { events: 30 }), before);
    const result = await verifyBundle(old, { trustedKeys: [oldKey.keyId] });
    expect(result.ok).toBe(true);
    expect(result.checked.signedBy).toBe(oldKey.keyId);
    expect((await verifyBundle(old, { trustedKeys: after.publicKeys().map((k) => k.keyId) })).ok).toBe(true);
  });

  it('a new bundle over a checkpoint the old key signed verifies: the manifest lists both keys', async () => {
    const input = syntheticBundleInput(before, { events: 30 });
    const result = await verifyBundle(await write(input, after), { trustedKeys: after.publicKeys().map((k) => k.keyId) });
    expect(result).toMatchObject({ ok: true, checked: { signedBy: newKey.keyId } });
  });

  it('a checkpoint signed by a key the product does not hold is reported', async () => {
    const stranger = KeyRing.of(generateSigningKey());
    const input = syntheticBundleInput(ring, { events: 30 });
    const cp = input.checkpoints[0];
    if (cp === undefined) throw new Error('no checkpoint');
    input.checkpoints = [{ ...cp, ...signCheckpoint(cp, stranger) }];
    // Even a reader who pins the stranger too sees that the bundle's own product keys omit it.
    const result = await verifyBundle(await write(input, ring), { trustedKeys: [key.keyId, stranger.activeKeyId] });
    expect(result.failures).toEqual([{ file: 'chain-proof.json', reason: `checkpoint 1 is signed by unknown key id ${stranger.activeKeyId}, not one of the product keys the manifest lists` }]);
  });
});
