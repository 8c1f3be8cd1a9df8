import type { Command } from 'commander';
import { LedgerVerifier } from '@qadaga/ledger';
import { openContext } from '../context.js';
import { createOutput } from '../output.js';
import { checkpointOptions } from './checkpoints-file.js';
import { registerLedgerArchive, verifyArchiveFile } from './ledger-archive.js';
import { registerLedgerPartitions } from './ledger-partitions.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerLedger(program: Command): void {
  const ledger = program.command('ledger').description('the tamper-evident ledger');
  ledger
    .command('verify')
    .description('recompute every hash chain, hold the rows to every signed checkpoint, and name each edited, deleted or inserted row')
    .option('--chain <id...>', 'verify only these chains (source codes)')
    .option('--checkpoints <file>', 'also hold the rows to the checkpoints in FILE, a copy of GET /v1/checkpoints kept elsewhere, and name any missing from the database')
    .option('--archive <file>', 'instead, verify a file written by `ledger archive` offline, from the file alone (no database): exit 0 verified, 1 failed, 2 intact but no key pinned')
    .option('--keys <file>', "with --archive: the product's published keys (GET /v1/keys saved to a file, PEM public keys, or key ids); repeatable", collect, [])
    .option('--trust <key...>', 'with --archive: key ids (or base64 public keys) to pin, with no period known')
    .option('--json', 'print { ok, rowsChecked, failures, checkpoints } as the last line')
    .action(async (options: { chain?: string[]; checkpoints?: string; archive?: string; keys: string[]; trust?: string[]; json?: boolean }) => {
      if (options.archive !== undefined) {
        await verifyArchiveFile(options.archive, options);
        return;
      }
      const out = createOutput(options.json === true);
      const ctx = openContext();
      try {
        // The file is read before the ledger: a copy that cannot be read stops here.
        const held = checkpointOptions(ctx.config, options.checkpoints);
        const started = Date.now();
        const report = await new LedgerVerifier(ctx.pool).verify({ ...(options.chain === undefined ? {} : { chainIds: options.chain }), checkpoints: held.options });
        const seconds = (Date.now() - started) / 1000;
        const lines = report.failures.map((f) => `  ${f.kind} ${f.chainId === null ? '' : `${f.chainId}#${f.seq}`}${f.eventId === null ? '' : ` (${f.eventId})`}: ${f.message}`);
        const checkpoints = { ...report.checkpoints, trust: held.trust };
        const against = `${checkpoints.checked} signed checkpoints${checkpoints.fromFile > 0 ? ` (${checkpoints.fromFile} from ${options.checkpoints})` : ''}${held.trust === 'carried_key_only' ? ', signatures checked only against the key each carries (SIGNING_KEY_FILES is not set)' : ''}`;
        out.result(
          { ok: report.ok, rowsChecked: report.rowsChecked, seconds, failures: report.failures, checkpoints },
          `${report.ok ? 'OK' : 'FAILED'}: ${report.rowsChecked} rows in ${report.chains.length} chains checked against ${against} in ${seconds.toFixed(1)} s${lines.length > 0 ? `\n${lines.join('\n')}` : ''}`,
        );
        if (!report.ok) process.exitCode = 1;
      } finally {
        await ctx.close();
      }
    });
  registerLedgerArchive(ledger);
  registerLedgerPartitions(ledger);
}
