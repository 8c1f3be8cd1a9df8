import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { KeyRing, generateSigningKey, keyIdOf, publicKeyOfPem, writeBundle } from '@qadaga/evidence';
import { memorySink, readZipEntries, syntheticBundleInput, writeZipEntries } from '@qadaga/evidence/testing';
import { main } from '../main.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'qadaga-cli-evidence-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `qadaga ...args` in-process; returns the exit code and what it printed on stdout. */
async function qadaga(...args: string[]): Promise<{ code: number; stdout: string }> {
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  process.exitCode = undefined;
  try {
    return { code: await main(['node', 'qadaga', ...args]), stdout: out.join('') };
  } finally {
    spy.mockRestore();
    err.mockRestore();
    process.exitCode = undefined;
  }
}

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;

describe('qadaga verify-bundle', () => {
  it('exits 0 on a sound bundle and 1 on a tampered one, naming the file', async () => {
    const key = generateSigningKey();
    const ring = KeyRing.of(key);
    const sink = memorySink();
    await writeBundle(syntheticBundleInput(ring, { events: 40 }), sink.stream, ring);
    const good = path.join(dir, 'good.zip');
    writeFileSync(good, sink.bytes());

    const ok = await qadaga('verify-bundle', good, '--trust', key.keyId, '--json');
    expect(ok.code).toBe(0);
    expect(lastJson(ok.stdout)).toMatchObject({ ok: true, failures: [] });
    expect((await qadaga('verify-bundle', good, '--trust', key.keyId)).stdout).toMatch(/^OK: .*good\.zip verified against the pinned keys \(9 files, 40 events, 1 flags, 1 rule versions, 1 checkpoints; signed by key [0-9a-f]{16}\)/u);

    const entries = await readZipEntries(sink.bytes());
    const bad = path.join(dir, 'bad.zip');
    writeFileSync(bad, await writeZipEntries(entries.map((e) => (e.name === 'flags.json' ? { name: e.name, data: Buffer.from(e.data.toString().replace('"severity": "high"', '"severity": "low"')) } : e))));
    const failed = await qadaga('verify-bundle', bad, '--trust', key.keyId, '--json');
    expect(failed.code).toBe(1);
    expect(lastJson(failed.stdout)).toMatchObject({ ok: false, failures: [{ file: 'flags.json' }, { file: 'flags.json' }] });

    const untrusted = await qadaga('verify-bundle', good, '--trust', generateSigningKey().keyId, '--json');
    expect(untrusted.code).toBe(1);
    expect(lastJson(untrusted.stdout)['failures']).toContainEqual({ file: 'manifest.json', reason: `signed by an unknown key ${key.keyId}: not among the 1 pinned key` });
  });

  it('exits 1 on a file that is not a bundle', async () => {
    const result = await qadaga('verify-bundle', path.join(dir, 'missing.zip'), '--json');
    expect(result.code).toBe(1);
    expect(lastJson(result.stdout)).toMatchObject({ ok: false, failures: [{ file: '(bundle)' }] });
  });
});

describe('qadaga signing-key new', () => {
  it('prints a key pair whose id is the fingerprint of its public key', async () => {
    const { code, stdout } = await qadaga('signing-key', 'new', '--json');
    expect(code).toBe(0);
    const pair = lastJson(stdout) as { keyId: string; publicKey: string; privateKeyPem: string };
    expect(pair.keyId).toBe(keyIdOf(pair.publicKey));
    expect(() => KeyRing.of(pair)).not.toThrow();
  });

  it('writes the private key to a file only its owner can read, and prints the public half', async () => {
    const file = path.join(dir, 'signing.pem');
    const { stdout } = await qadaga('signing-key', 'new', '--out', file, '--json');
    const shown = lastJson(stdout) as { keyId: string; privateKeyPem?: string };
    expect(shown.privateKeyPem).toBeUndefined();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(() => KeyRing.of({ keyId: shown.keyId, privateKeyPem: readFileSync(file, 'utf8') })).not.toThrow();
    // Beside it, the public half alone: what the API and anyone verifying are given.
    const pub = path.join(dir, 'signing.pub.pem');
    expect(readFileSync(pub, 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/u);
    expect(publicKeyOfPem(readFileSync(pub, 'utf8')).keyId).toBe(shown.keyId);
    expect(shown).toMatchObject({ publicKeyFile: pub });
    // An existing key file is never overwritten.
    expect((await qadaga('signing-key', 'new', '--out', file, '--json')).code).toBe(1);
  });
});
