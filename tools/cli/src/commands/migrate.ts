import type { Command } from 'commander';
import { configFromProcess } from '@qadaga/config';
import { createPool } from '@qadaga/db';
import { ensureTimePartitions } from '@qadaga/ledger/partitions';
import { applyMigrations, migrationStatus } from '@qadaga/migrate';
import { createOutput } from '../output.js';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (creates the database if missing)')
    .option('--status', 'list applied and pending migrations without applying')
    .option('--json', 'print the summary as one JSON line')
    .action(async (options: { status?: boolean; json?: boolean }) => {
      const out = createOutput(options.json === true);
      const { database } = configFromProcess();
      if (options.status === true) {
        const status = await migrationStatus(database.url);
        out.result(status, `applied: ${status.applied.length}, pending: ${status.pending.join(', ') || 'none'}`);
        return;
      }
      const { applied } = await applyMigrations({ databaseUrl: database.url });
      // The months ahead of the ledger and the access log, as the apps make them at start.
      const pool = createPool({ url: database.url, size: 1, applicationName: 'qadaga-cli' });
      const partitions = await ensureTimePartitions(pool).finally(() => pool.end());
      const made = partitions.length === 0 ? '' : `; made ${partitions.join(', ')}`;
      out.result({ applied, partitions }, `${applied.length === 0 ? 'database is up to date' : `applied: ${applied.join(', ')}`}${made}`);
    });
}
