import type { Command } from 'commander';
import { ApiKeyRepository, ROLES, type Role } from '@qadaga/db';
import { openContext } from '../context.js';
import { createOutput } from '../output.js';

export function registerKeys(program: Command): void {
  program
    .command('source')
    .description('register a source system (a camera network, the register, the treasury)')
    .argument('<code>', 'lower-case code, e.g. sergek-almaty')
    .argument('<name>', 'human name')
    .option('--json', 'print the summary as one JSON line')
    .action(async (code: string, name: string, options: { json?: boolean }) => {
      const ctx = openContext();
      try {
        await new ApiKeyRepository(ctx.prisma).ensureSource(code, name);
        createOutput(options.json === true).result({ source: code }, `source ${code} registered`);
      } finally {
        await ctx.close();
      }
    });

  program
    .command('key')
    .description('issue an API key: for a source (--source) or with reader roles (--role); it is shown once')
    .option('--source <code>', 'the source system this key writes for')
    .option('--role <role...>', `roles: ${ROLES.filter((r) => r !== 'source').join(', ')}`)
    .option('--label <label>', 'who holds it')
    .option('--json', 'print the key as one JSON line')
    .action(async (options: { source?: string; role?: string[]; label?: string; json?: boolean }) => {
      const unknown = (options.role ?? []).filter((r) => !(ROLES as readonly string[]).includes(r));
      if (unknown.length > 0) throw new Error(`--role: unknown role ${unknown.join(', ')}`);
      const ctx = openContext();
      try {
        const issued = await new ApiKeyRepository(ctx.prisma).issue({
          ...(options.source === undefined ? {} : { sourceCode: options.source }),
          ...(options.role === undefined ? {} : { roles: options.role as Role[] }),
          ...(options.label === undefined ? {} : { label: options.label }),
        });
        createOutput(options.json === true).result(issued, `key ${issued.id}: ${issued.key}\n(store it now: only its hash is kept)`);
      } finally {
        await ctx.close();
      }
    });
}
