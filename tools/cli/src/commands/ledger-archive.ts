import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { SigningKeyRepository } from '@qadaga/db';
import { KeyRing, verifyLedgerArchive } from '@qadaga/evidence';
import { archiveLedgerMonth } from '@qadaga/evidence/archive';
import { ArchiveRefusal } from '@qadaga/ledger';
import { openContext } from '../context.js';
import { createOutput } from '../output.js';
import { VERIFY_EXIT, readKeys } from './verify-bundle.js';

const UNPINNED_ADVICE = "pass --keys with the product's published keys (GET /v1/keys saved to a file) or --trust KEY_ID";

/** `qadaga ledger archive`: a closed month exported with its signed boundaries, recorded, and detached if asked. */
export function registerLedgerArchive(ledger: Command): void {
  ledger
    .command('archive')
    .description('export a closed month of the ledger (by received_at, UTC) to a gzip\'d NDJSON file with its signed boundary checkpoints, record it, and with --detach detach its partition. Exit 3 when refused (nothing changed)')
    .requiredOption('--month <YYYY-MM>', 'the month to archive')
    .requiredOption('--out <file>', 'the file to write (e.g. ledger-2024-01.ndjson.gz)')
    .option('--min-age-months <n>', 'months that must have passed since the month ended (default LEDGER_ARCHIVE_MIN_AGE_MONTHS, 24)')
    .option('--detach', "after the export, detach the month's partition of ledger_event (refused when the ledger is not partitioned)")
    .option('--drop', 'with --detach: drop the detached partition instead of keeping it as a table of its own')
    .option('--json', 'print { month, file, rows, chains, fileSha256, storage, detached } as the last line')
    .action(async (options: { month: string; out: string; minAgeMonths?: string; detach?: boolean; drop?: boolean; json?: boolean }) => {
      const out = createOutput(options.json === true);
      if (options.drop === true && options.detach !== true) throw new ArchiveRefusal('--drop', 'only with --detach: a partition is dropped once detached');
      const minAge = options.minAgeMonths === undefined ? undefined : Number(options.minAgeMonths);
      if (minAge !== undefined && (!Number.isInteger(minAge) || minAge < 0)) throw new ArchiveRefusal('--min-age-months', `a whole number of months, 0 or more, is required, got "${options.minAgeMonths}"`);
      const ctx = openContext();
      try {
        const files = ctx.config.evidence.signingKeyFiles;
        // An archive outlives the database it came from: only the product's own key may sign its boundaries.
        if (files === null) throw new ArchiveRefusal('SIGNING_KEY_FILES', "is not set: the boundaries of an archive must be signed with the product's key, not an ephemeral one");
        const keyRing = KeyRing.fromPem(
          files.map((file) => readFileSync(file, 'utf8')),
          files.map((file) => `SIGNING_KEY_FILES: ${file}`),
        );
        // Recorded as the worker records it, so the key's period covers what it signs now.
        const recorded = await new SigningKeyRepository(ctx.pool).recordRing({ activeKeyId: keyRing.activeKeyId, keys: keyRing.publicKeys() });
        keyRing.activeSince = recorded.find((k) => k.keyId === keyRing.activeKeyId)?.validFrom ?? null;
        const result = await archiveLedgerMonth(ctx.pool, {
          month: options.month,
          out: path.resolve(options.out),
          minAgeMonths: minAge ?? ctx.config.evidence.archiveMinAgeMonths,
          keyRing,
          detach: options.detach === true,
          drop: options.drop === true,
        });
        const where =
          result.detached !== null ? `; partition ${result.detached.partition} detached${result.detached.dropped ? ' and dropped' : ' and kept as a table'}`
          : result.storage === 'unpartitioned' ? '; the rows stay live (ledger_event is not partitioned)'
          : '; the rows stay live (pass --detach to detach the partition)';
        out.result(
          { ok: true, month: result.month, file: result.file, rows: result.rows, chains: result.chains, fileSha256: result.fileSha256, bodySha256: result.bodySha256, signedBy: result.endCheckpoint.keyId, storage: result.storage, detached: result.detached },
          `ARCHIVED ${result.month}: ${result.rows} rows of ${result.chains} chains to ${result.file} (sha256 ${result.fileSha256}), boundaries signed by key ${result.endCheckpoint.keyId}${where}`,
        );
      } finally {
        await ctx.close();
      }
    });
}

/** `qadaga ledger verify --archive FILE`: the file alone, offline, against the pinned keys. */
export async function verifyArchiveFile(file: string, options: { keys: string[]; trust?: string[]; json?: boolean }): Promise<void> {
  const out = createOutput(options.json === true);
  const pinned = options.keys.length > 0 || options.trust !== undefined;
  const result = await verifyLedgerArchive(file, {
    ...(pinned ? { keys: readKeys(options.keys) } : {}),
    ...(options.trust === undefined ? {} : { trustedKeys: options.trust }),
    unpinnedAdvice: UNPINNED_ADVICE,
  });
  const c = result.checked;
  const what = `${c.month ?? 'unknown month'}: ${c.rows} rows of ${c.chains} chains${c.signedBy === null ? '' : `; signed by key ${c.signedBy}`}`;
  const onlyUnpinned = result.unpinned && result.failures.length === 1;
  const human =
    result.ok ? `OK: ${file} verified against the pinned keys (${what})`
    : onlyUnpinned ? `UNVERIFIED SIGNER: ${file} is whole, but ${(result.failures[0] as { reason: string }).reason} (${what})`
    : `FAILED: ${file} (${what})\n${result.failures.map((f) => `  ${f.file}: ${f.reason}`).join('\n')}`;
  out.result(result, human);
  process.exitCode = result.ok ? VERIFY_EXIT.verified : onlyUnpinned ? VERIFY_EXIT.unpinned : VERIFY_EXIT.failed;
}
