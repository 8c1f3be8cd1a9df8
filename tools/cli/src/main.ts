import { Command, CommanderError } from 'commander';
import { ConfigError } from '@qadaga/config';
import { registerCoverage } from './commands/coverage.js';
import { registerDetection } from './commands/detection.js';
import { registerEvidence } from './commands/evidence.js';
import { registerImport } from './commands/import.js';
import { registerKeys } from './commands/keys.js';
import { registerRank } from './commands/rank.js';
import { registerLedger } from './commands/ledger.js';
import { registerMigrate } from './commands/migrate.js';
import { registerUsers } from './commands/users.js';
import { registerGeo } from './commands/geo.js';

export function buildProgram(): Command {
  const program = new Command('qadaga')
    .description('Qadaga: the ledger of camera-detected traffic fines. Honours DATABASE_URL and REDIS_URL.')
    .exitOverride();
  registerMigrate(program);
  registerLedger(program);
  registerImport(program);
  registerKeys(program);
  registerDetection(program);
  registerCoverage(program);
  registerRank(program);
  registerEvidence(program);
  registerUsers(program);
  registerGeo(program);
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
    const message = explain(error);
    process.stderr.write(`qadaga: ${message}\n`);
    // A program reading --json output still gets one JSON line, with the reason.
    if (argv.includes('--json')) process.stdout.write(`${JSON.stringify({ ok: false, error: message })}\n`);
    // A command may name its own code for a refusal (an import's file refused: 3).
    const code = typeof error === 'object' && error !== null ? (error as { exitCode?: unknown }).exitCode : undefined;
    return typeof code === 'number' ? code : 1;
  }
}

/**
 * PostgreSQL's own words name a table or a database but not what to do about it; the two
 * mistakes a newcomer makes first (a database not created, or not migrated) get the fix.
 */
export function explain(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (code === '42P01') return `${message}: the database at DATABASE_URL has no Qadaga schema yet; run \`npx qadaga migrate\` first`;
  if (code === '3D000') return `${message}: create it (createdb) or point DATABASE_URL at an existing database, then run \`npx qadaga migrate\``;
  return message;
}
