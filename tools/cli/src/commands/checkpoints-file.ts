import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { AppConfig } from '@qadaga/config';
import type { StoredCheckpoint } from '@qadaga/db';
import type { CheckpointOptions } from '@qadaga/ledger';
import { trustedKeysOfFiles, verifyCheckpoint } from '@qadaga/evidence';

const decimal = z.string().regex(/^(0|[1-9][0-9]*)$/u, 'a non-negative integer as a decimal string is required');
const hash = z.string().regex(/^[0-9a-f]{64}$/u, '64 lowercase hex digits are required');

/** One item of GET /v1/checkpoints, exactly as the API answers it. */
const Checkpoint = z.strictObject({
  id: decimal,
  at: z.iso.datetime({ offset: true }),
  ledgerHeads: z.array(z.strictObject({ chainId: z.string().min(1), seq: decimal, hash })),
  accessLogHead: z.strictObject({ lanes: z.array(z.strictObject({ lane: z.number().int().min(0), seq: decimal, hash })) }).nullable(),
  keyId: z.string().min(1),
  publicKey: z.string().min(1),
  signature: z.string().min(1),
});

/** The answer of GET /v1/checkpoints, kept outside the product. */
const CheckpointsExport = z.strictObject({ items: z.array(Checkpoint) });

/**
 * Reads a copy of GET /v1/checkpoints kept elsewhere. Anything else is refused, naming the
 * field and why: a copy that cannot be read must not pass as one that holds nothing.
 */
export function readCheckpointsFile(file: string): StoredCheckpoint[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`--checkpoints ${file}: cannot be read (${(error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`--checkpoints ${file}: not JSON (${(error as Error).message})`);
  }
  const parsed = CheckpointsExport.safeParse(json);
  if (!parsed.success) {
    const reasons = parsed.error.issues.slice(0, 10).map((i) => `${i.path.length === 0 ? '(file)' : i.path.join('.')}: ${i.message}`);
    throw new Error(`--checkpoints ${file}: not the answer of GET /v1/checkpoints ({ "items": [...] }):\n  ${reasons.join('\n  ')}`);
  }
  return parsed.data.items;
}

/**
 * How the rows are held to checkpoints: the stored ones and any from a file, each counted
 * only when one of the product's keys (SIGNING_KEY_FILES) signed it; without key files, only
 * the key a checkpoint carries is checked, and the report says so.
 */
export function checkpointOptions(config: AppConfig, file: string | undefined): { options: CheckpointOptions; trust: 'product_keys' | 'carried_key_only' } {
  const files = config.evidence.signingKeyFiles;
  const trustedKeys = files === null ? null : trustedKeysOfFiles(files);
  return {
    options: {
      ...(file === undefined ? {} : { external: readCheckpointsFile(file) }),
      signature: (cp) => verifyCheckpoint(cp, trustedKeys === null ? {} : { trustedKeys }),
    },
    trust: trustedKeys === null ? 'carried_key_only' : 'product_keys',
  };
}
