import { sha256Hex } from '@qadaga/domain/hashing';
import type { Manifest } from '../bundle/manifest.js';
import { manifestSigningText } from '../bundle/manifest.js';
import { KeyRing, type SigningKeyPair } from '../signing/key-ring.js';
import { readZipEntries, writeZipEntries, type ZipEntryBytes } from './zip-entries.js';

/**
 * What a thief of a synthetic bundle does: edits case.json and events.csv, rehashes every
 * file into the manifest and signs it with a key of their own. Every hash then matches;
 * only the signer gives it away.
 */
export async function forgedBundle(bundle: Buffer, thief: SigningKeyPair): Promise<Buffer> {
  const entries = await readZipEntries(bundle);
  const edited = entries.map((e) => {
    if (e.name === 'case.json') return { name: e.name, data: Buffer.from(e.data.toString('utf8').replace('Cancellations by O3', 'No finding about O3')) };
    if (e.name === 'events.csv') return { name: e.name, data: Buffer.from(e.data.toString('utf8').replace('cam-0,cam-0-1,', 'cam-0,cam-0-9,')) };
    return e;
  });
  const manifest = JSON.parse((entries.find((e) => e.name === 'manifest.json') as ZipEntryBytes).data.toString('utf8')) as Manifest;
  manifest.files = manifest.files.map((f) => {
    const data = (edited.find((e) => e.name === f.name) as ZipEntryBytes).data;
    return { name: f.name, size: data.length, sha256: sha256Hex(data.toString('utf8')) };
  });
  manifest.signature = { algorithm: 'Ed25519', ...KeyRing.of(thief).sign(manifestSigningText(manifest)) };
  return writeZipEntries(edited.map((e) => (e.name === 'manifest.json' ? { name: e.name, data: Buffer.from(JSON.stringify(manifest)) } : e)));
}
