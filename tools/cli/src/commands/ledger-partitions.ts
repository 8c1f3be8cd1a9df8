import type { Command } from 'commander';
import { DEFAULT_MONTHS_AHEAD, ensureTimePartitions, timePartitions, type TimePartition } from '@qadaga/ledger/partitions';
import { openContext } from '../context.js';
import { createOutput } from '../output.js';

/** The option's value as a whole number of months, or an error naming the option and why. */
export function monthsAheadOption(text: string): number {
  const n = Number(text);
  if (!/^\d+$/u.test(text) || !Number.isSafeInteger(n) || n > 120) {
    throw Object.assign(new Error(`--months-ahead: a whole number of months from 0 to 120 is required, got "${text}"`), { exitCode: 2 });
  }
  return n;
}

const month = (p: TimePartition) => p.from.toISOString().slice(0, 7);

/**
 * `qadaga ledger partitions`: what the API and the worker do at start and daily, for an
 * operator (or a cron job where the apps' database role may not create tables).
 */
export function registerLedgerPartitions(ledger: Command): void {
  ledger
    .command('partitions')
    .description('make the monthly partitions of the ledger and the access log up to some months ahead (only those missing), then list the months attached')
    .option('--months-ahead <n>', `months after the current one (UTC) to make (default ${DEFAULT_MONTHS_AHEAD})`)
    .option('--json', 'print { made, ledger, accessLog } as the last line')
    .action(async (options: { monthsAhead?: string; json?: boolean }) => {
      const monthsAhead = options.monthsAhead === undefined ? DEFAULT_MONTHS_AHEAD : monthsAheadOption(options.monthsAhead);
      const out = createOutput(options.json === true);
      const ctx = openContext();
      try {
        const made = await ensureTimePartitions(ctx.pool, { monthsAhead });
        const ledgerMonths = await timePartitions(ctx.pool, 'ledger_event');
        const accessMonths = await timePartitions(ctx.pool, 'access_log');
        const span = (list: TimePartition[]) => (list.length === 0 ? 'none' : `${list.length}, ${month(list[0] as TimePartition)} to ${month(list.at(-1) as TimePartition)}`);
        out.result(
          { made, ledger: ledgerMonths.map(month), accessLog: accessMonths.map(month) },
          `${made.length === 0 ? 'no month was missing' : `made ${made.join(', ')}`}\nledger months: ${span(ledgerMonths)}\naccess-log months: ${span(accessMonths)}`,
        );
      } finally {
        await ctx.close();
      }
    });
}
