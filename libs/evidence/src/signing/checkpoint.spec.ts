import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { trustedKeysOfFiles } from './checkpoint.js';
import { generateSigningKey } from './key-ring.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'qadaga-trusted-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('trustedKeysOfFiles', () => {
  it('gives the id of every configured key, the signing one and retired ones kept as public PEM', () => {
    const active = generateSigningKey();
    const retired = generateSigningKey();
    const files = [path.join(dir, 'active.pem'), path.join(dir, 'retired.pub.pem')];
    writeFileSync(files[0] as string, active.privateKeyPem);
    writeFileSync(files[1] as string, retired.publicKeyPem);
    expect(trustedKeysOfFiles(files)).toEqual([active.keyId, retired.keyId]);
  });

  it('names the file that cannot be read or is not a key', () => {
    const missing = path.join(dir, 'missing.pem');
    expect(() => trustedKeysOfFiles([missing])).toThrow(`SIGNING_KEY_FILES[0] (${missing}): cannot be read`);
    const junk = path.join(dir, 'junk.pem');
    writeFileSync(junk, 'not a key');
    expect(() => trustedKeysOfFiles([junk])).toThrow(`SIGNING_KEY_FILES[0] (${junk}): not a PEM key`);
  });
});
