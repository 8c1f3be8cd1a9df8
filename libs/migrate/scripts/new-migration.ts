// Writes libs/db/prisma/migrations/<timestamp>_<name>/migration.sql: the SQL that takes a database
// from the existing migrations to the current schema.prisma.
//
//   npx tsx libs/migrate/scripts/new-migration.ts <name> [--timestamp=YYYYMMDDHHMMSS]
//
// DATABASE_URL only says which server to use and as whom; the database it names is never
// opened. The work happens in two databases created for the run and dropped after it.
import { createMigration } from '../src/index.js';

// A developer tool run by hand, like the Prisma CLI: it reads its one setting directly.
// eslint-disable-next-line no-restricted-properties
const serverUrl = process.env['DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/postgres';

const args = process.argv.slice(2);
const timestamp = args.find((arg) => arg.startsWith('--timestamp='))?.slice('--timestamp='.length);
const names = args.filter((arg) => !arg.startsWith('--'));
if (names.length !== 1 || args.some((arg) => arg.startsWith('--') && !arg.startsWith('--timestamp='))) {
  console.error('usage: npx tsx libs/migrate/scripts/new-migration.ts <name> [--timestamp=YYYYMMDDHHMMSS]');
  process.exit(2);
}

const created = await createMigration({ name: names[0] ?? '', serverUrl, ...(timestamp ? { timestamp } : {}) });
if (created === null) {
  console.log('schema.prisma matches the migrations: no migration written.');
} else {
  console.log(`Wrote ${created.scriptPath}`);
}
