import type { Command } from 'commander';
import { configFromProcess } from '@qadaga/config';
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
      out.result({ applied }, applied.length === 0 ? 'database is up to date' : `applied: ${applied.join(', ')}`);
    });
}
