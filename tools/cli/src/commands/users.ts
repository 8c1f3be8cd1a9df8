import type { Command } from 'commander';
import { LOCALES, USER_ROLES, UserRepository, type Locale, type UserRole } from '@qadaga/db';
import { AccessLogVerifier } from '@qadaga/ledger';
import { openContext } from '../context.js';
import { createOutput } from '../output.js';
import { checkpointOptions } from './checkpoints-file.js';

const MIN_PASSWORD = 12;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/u, '');
}

export function registerUsers(program: Command): void {
  const user = program.command('user').description('people who sign in to the workbench');
  user
    .command('add')
    .description('create or update a person; the password is read from standard input, never from the command line')
    .argument('<username>', 'sign-in name')
    .requiredOption('--name <name>', 'name shown in the workbench')
    .requiredOption('--role <role...>', `roles: ${USER_ROLES.join(', ')}`)
    .option('--locale <locale>', `language: ${LOCALES.join(', ')}`, 'ru')
    .option('--officer <id>', 'the officer this person is (never sees flags or cases about them)')
    .option('--unit <unit>', 'the unit this person belongs to (never sees flags or cases about it)')
    .option('--json', 'print the account as one JSON line')
    .action(async (username: string, options: { name: string; role: string[]; locale: string; officer?: string; unit?: string; json?: boolean }) => {
      const unknown = options.role.filter((r) => !(USER_ROLES as readonly string[]).includes(r));
      if (unknown.length > 0) throw new Error(`--role: unknown role ${unknown.join(', ')} (one of ${USER_ROLES.join(', ')})`);
      if (!(LOCALES as readonly string[]).includes(options.locale)) throw new Error(`--locale: one of ${LOCALES.join(', ')}`);
      const password = await readStdin();
      if (password.length < MIN_PASSWORD) throw new Error(`password (standard input): at least ${MIN_PASSWORD} characters`);
      const ctx = openContext();
      try {
        const saved = await new UserRepository(ctx.pool).upsert({
          username,
          displayName: options.name,
          password,
          roles: options.role as UserRole[],
          locale: options.locale as Locale,
          officerId: options.officer ?? null,
          unit: options.unit ?? null,
        });
        createOutput(options.json === true).result(saved, `user ${saved.username} (${saved.roles.join(', ')}) saved`);
      } finally {
        await ctx.close();
      }
    });

  program
    .command('access-log')
    .description('the chained log of who read or did what')
    .command('verify')
    .description('recompute the access log chains, hold them to every signed checkpoint, and name any edited, deleted, inserted or unchained row')
    .option('--checkpoints <file>', 'also hold the lanes to the checkpoints in FILE, a copy of GET /v1/checkpoints kept elsewhere, and name any missing from the database')
    .option('--json', 'print the report as one JSON line')
    .action(async (options: { checkpoints?: string; json?: boolean }) => {
      const ctx = openContext();
      try {
        const held = checkpointOptions(ctx.config, options.checkpoints);
        const result = await new AccessLogVerifier(ctx.pool).verify({ checkpoints: held.options });
        const report = { ...result, checkpoints: { ...result.checkpoints, trust: held.trust } };
        const against = `${report.checkpoints.checked} signed checkpoints${report.checkpoints.fromFile > 0 ? ` (${report.checkpoints.fromFile} from ${options.checkpoints})` : ''}`;
        const text = report.ok
          ? `access log ok: ${report.rowsChecked} rows in ${report.lanes.length} lanes, held to ${against}`
          : `access log FAILED:\n${report.failures.map((f) => `  ${f.kind} ${f.lane === null ? '' : `lane ${f.lane}#${f.seq ?? ''} `}${f.message}`).join('\n')}`;
        createOutput(options.json === true).result(report, text);
        if (!report.ok) process.exitCode = 1;
      } finally {
        await ctx.close();
      }
    });
}
