import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parsePinnedKeys, verifyBundle, type PinnedKey } from '@qadaga/evidence';
import { createOutput } from '../output.js';

/** Exit codes of `verify-bundle`, so a script can tell a forgery from a missing --keys. */
export const VERIFY_EXIT = {
  /** Every check held and the signer is one of the pinned keys, within its period. */
  verified: 0,
  /** Something is wrong: a file, a hash, a link, a signature, an unknown signer or a date outside its key's period. */
  failed: 1,
  /** Nothing else was found wrong, but no key was pinned: who signed the bundle is unproven. */
  unpinned: 2,
} as const;

const UNPINNED_ADVICE = "pass --keys with the product's published keys";

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function readKeys(files: readonly string[]): PinnedKey[] {
  return files.flatMap((file) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(`--keys ${file}: cannot be read (${error instanceof Error ? error.message : String(error)})`);
    }
    return parsePinnedKeys(text, file);
  });
}

/**
 * Verifies a bundle offline against the product's published keys. A bundle's own keys are
 * only the signer's word about itself, so without --keys (or --trust) the answer is never
 * OK: the signer is reported unknown and the exit code is 2.
 */
export function registerVerifyBundle(program: Command): void {
  program
    .command('verify-bundle')
    .description('verify an evidence bundle offline against the product\'s published keys: file hashes, manifest signature and signer, event hashes, chain links up to signed checkpoints, rule hashes. Exit 0 verified, 1 failed, 2 intact but no key pinned')
    .argument('<file>', 'the bundle (.zip)')
    .option('--keys <file>', "the product's published keys: the JSON GET /v1/keys answers (periods are checked), PEM public keys, or key ids one per line; repeatable", collect, [])
    .option('--trust <key...>', 'key ids (or base64 public keys) to pin, with no period known')
    .option('--json', 'print { ok, unpinned, failures, checked } as the last line')
    .action(async (file: string, options: { keys: string[]; trust?: string[]; json?: boolean }) => {
      const out = createOutput(options.json === true);
      const pinned = options.keys.length > 0 || options.trust !== undefined;
      const result = await verifyBundle(file, {
        ...(pinned ? { keys: readKeys(options.keys) } : {}),
        ...(options.trust === undefined ? {} : { trustedKeys: options.trust }),
        unpinnedAdvice: UNPINNED_ADVICE,
      });
      const c = result.checked;
      const what = `${c.files} files, ${c.events} events, ${c.flags} flags, ${c.rules} rule versions, ${c.checkpoints} checkpoints${c.signedBy === null ? '' : `; signed by key ${c.signedBy}`}`;
      const lines = result.failures.map((f) => `  ${f.file}: ${f.reason}`);
      const onlyUnpinned = result.unpinned && result.failures.length === 1;
      const human =
        result.ok ? `OK: ${file} verified against the pinned keys (${what})`
        : onlyUnpinned ? `UNVERIFIED SIGNER: ${file} is whole, but ${(result.failures[0] as { reason: string }).reason} (GET /v1/keys, saved to a file) (${what})`
        : `FAILED: ${file} (${what})\n${lines.join('\n')}`;
      out.result(result, human);
      process.exitCode = result.ok ? VERIFY_EXIT.verified : onlyUnpinned ? VERIFY_EXIT.unpinned : VERIFY_EXIT.failed;
    });
}
