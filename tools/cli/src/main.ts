import { Command, CommanderError } from 'commander';
import { ConfigError } from '@qadaga/config';
import { registerKeys } from './commands/keys.js';
import { registerLedger } from './commands/ledger.js';
import { registerMigrate } from './commands/migrate.js';

export function buildProgram(): Command {
  const program = new Command('qadaga')
    .description('Qadaga: the ledger of camera-detected traffic fines. Honours DATABASE_URL and REDIS_URL.')
    .exitOverride();
  registerMigrate(program);
  registerLedger(program);
  registerKeys(program);
  return program;
}

/** Runs the CLI and returns the exit code; errors are printed as one clear line. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 78;
    }
    process.stderr.write(`qadaga: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
