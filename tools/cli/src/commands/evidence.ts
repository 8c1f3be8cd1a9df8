import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { generateSigningKey } from '@qadaga/evidence';
import { createOutput } from '../output.js';
import { registerVerifyBundle } from './verify-bundle.js';

/** Evidence bundles and their signing keys; neither command needs a database. */
export function registerEvidence(program: Command): void {
  registerVerifyBundle(program);

  const key = program.command('signing-key').description('Ed25519 keys that sign evidence bundles and checkpoints');
  key
    .command('new')
    .description("make a new key pair; give the private key file to the worker's SIGNING_KEY_FILES (first = active), the public one to the API's, and publish the key id")
    .option('--out <file>', 'write the private key (PEM) to this file, readable by its owner only, instead of printing it')
    .option('--json', 'print the key as one JSON line')
    .action((options: { out?: string; json?: boolean }) => {
      const pair = generateSigningKey();
      // The public half goes beside the private key: the API verifies with it and never needs the secret.
      const publicFile = options.out === undefined ? undefined : options.out.replace(/(\.pem)?$/u, '.pub.pem');
      if (options.out !== undefined && publicFile !== undefined) {
        writeFileSync(options.out, pair.privateKeyPem, { mode: 0o600, flag: 'wx' });
        writeFileSync(publicFile, pair.publicKeyPem, { mode: 0o644, flag: 'wx' });
      }
      const shown = options.out === undefined ? pair : { keyId: pair.keyId, publicKey: pair.publicKey, publicKeyPem: pair.publicKeyPem, privateKeyFile: options.out, publicKeyFile: publicFile };
      const human = [`key id:     ${pair.keyId}`, `public key: ${pair.publicKey}`, '', pair.publicKeyPem.trimEnd()];
      human.push('', options.out === undefined ? pair.privateKeyPem.trimEnd() : `private key written to ${options.out}, public key to ${publicFile}`);
      createOutput(options.json === true).result(shown, human.join('\n'));
    });
}
