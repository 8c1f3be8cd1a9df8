import type { Command } from 'commander';
import { LedgerVerifier } from '@qadaga/db';
import { openContext } from '../context.js';
import { createOutput } from '../output.js';

export function registerLedger(program: Command): void {
  const ledger = program.command('ledger').description('the tamper-evident ledger');
  ledger
    .command('verify')
    .description('recompute every hash chain and name each edited, deleted or inserted row')
    .option('--chain <id...>', 'verify only these chains (source codes)')
    .option('--json', 'print { ok, rowsChecked, failures } as the last line')
    .action(async (options: { chain?: string[]; json?: boolean }) => {
      const out = createOutput(options.json === true);
      const ctx = openContext();
      try {
        const started = Date.now();
        const report = await new LedgerVerifier(ctx.pool).verify(options.chain === undefined ? {} : { chainIds: options.chain });
        const seconds = (Date.now() - started) / 1000;
        const lines = report.failures.map((f) => `  ${f.kind} ${f.chainId}#${f.seq}${f.eventId === null ? '' : ` (${f.eventId})`}: ${f.message}`);
        out.result(
          { ok: report.ok, rowsChecked: report.rowsChecked, seconds, failures: report.failures },
          `${report.ok ? 'OK' : 'FAILED'}: ${report.rowsChecked} rows in ${report.chains.length} chains checked in ${seconds.toFixed(1)} s${lines.length > 0 ? `\n${lines.join('\n')}` : ''}`,
        );
        if (!report.ok) process.exitCode = 1;
      } finally {
        await ctx.close();
      }
    });
}
