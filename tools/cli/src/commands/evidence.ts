import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { generateSigningKey, verifyBundle } from '@qadaga/evidence';
import { createOutput } from '../output.js';

/** Evidence bundles and their signing keys; neither command needs a database. */
export function registerEvidence(program: Command): void {
  program
    .command('verify-bundle')
    .description('verify an evidence bundle offline: file hashes, manifest signature, event hashes, chain links up to signed checkpoints, rule hashes')
    .argument('<file>', 'the bundle (.zip)')
    .option('--trust <key...>', 'key ids (or base64 public keys) to accept as the signer; others are reported')
    .option('--json', 'print { ok, failures, checked } as the last line')
    .action(async (file: string, options: { trust?: string[]; json?: boolean }) => {
      const out = createOutput(options.json === true);
      const result = await verifyBundle(file, options.trust === undefined ? {} : { trustedKeys: options.trust });
      const c = result.checked;
      const what = `${c.files} files, ${c.events} events, ${c.flags} flags, ${c.rules} rule versions, ${c.checkpoints} checkpoints${c.signedBy === null ? '' : `; signed by key ${c.signedBy}`}`;
      const lines = result.failures.map((f) => `  ${f.file}: ${f.reason}`);
      out.result(result, result.ok ? `OK: ${file} verified (${what})` : `FAILED: ${file} (${what})\n${lines.join('\n')}`);
      if (!result.ok) process.exitCode = 1;
    });

  const key = program.command('signing-key').description('Ed25519 keys that sign evidence bundles and checkpoints');
  key
    .command('new')
    .description('make a new key pair; give the private key file to SIGNING_KEY_FILES (first = active) and publish the key id')
    .option('--out <file>', 'write the private key (PEM) to this file, readable by its owner only, instead of printing it')
    .option('--json', 'print the key as one JSON line')
    .action((options: { out?: string; json?: boolean }) => {
      const pair = generateSigningKey();
      if (options.out !== undefined) writeFileSync(options.out, pair.privateKeyPem, { mode: 0o600, flag: 'wx' });
      const shown = options.out === undefined ? pair : { keyId: pair.keyId, publicKey: pair.publicKey, publicKeyPem: pair.publicKeyPem, privateKeyFile: options.out };
      const human = [`key id:     ${pair.keyId}`, `public key: ${pair.publicKey}`, '', pair.publicKeyPem.trimEnd()];
      human.push('', options.out === undefined ? pair.privateKeyPem.trimEnd() : `private key written to ${options.out}`);
      createOutput(options.json === true).result(shown, human.join('\n'));
    });
}
