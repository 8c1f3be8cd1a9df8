import { Command, CommanderError } from 'commander';
import { ConfigError } from '@qadaga/config';
import { registerDetection } from './commands/detection.js';
import { registerEvidence } from './commands/evidence.js';
import { registerImport } from './commands/import.js';
import { registerKeys } from './commands/keys.js';
import { registerRank } from './commands/rank.js';
import { registerLedger } from './commands/ledger.js';
import { registerMigrate } from './commands/migrate.js';
import { registerUsers } from './commands/users.js';

export function buildProgram(): Command {
  const program = new Command('qadaga')
    .description('Qadaga: the ledger of camera-detected traffic fines. Honours DATABASE_URL and REDIS_URL.')
    .exitOverride();
  registerMigrate(program);
  registerLedger(program);
  registerImport(program);
  registerKeys(program);
  registerDetection(program);
  registerRank(program);
  registerEvidence(program);
  registerUsers(program);
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
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`qadaga: ${message}\n`);
    // A program reading --json output still gets one JSON line, with the reason.
    if (argv.includes('--json')) process.stdout.write(`${JSON.stringify({ ok: false, error: message })}\n`);
    return 1;
  }
}
