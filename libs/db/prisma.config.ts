import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'prisma/config';

// This file is read by the Prisma CLI only, never by the application, so it may touch
// the environment directly.
/* eslint-disable no-restricted-properties */

const here = path.dirname(fileURLToPath(import.meta.url));

// Every CLI command tries to download the native schema engine first, and the download
// host is unreachable here. Pointing the CLI at a stub lets `generate`, `validate` and
// `format` run offline. The stub fails on purpose: one that succeeded would make
// `migrate deploy` and `db execute` report success without doing anything. Migrations
// go through the WebAssembly engine instead (libs/migrate). `??=` keeps a real engine
// binary if a machine has one.
process.env['PRISMA_SCHEMA_ENGINE_BINARY'] ??= path.join(here, 'scripts', 'no-native-schema-engine.sh');
// The CLI's update check is a network call that would only time out here.
process.env['CHECKPOINT_DISABLE'] = '1';

const databaseUrl = process.env['DATABASE_URL'];

export default defineConfig({
  schema: path.join(here, 'prisma', 'schema.prisma'),
  migrations: { path: path.join(here, 'prisma', 'migrations') },
  // Only commands that talk to a database need a URL; `generate` must work without one.
  ...(databaseUrl ? { datasource: { url: databaseUrl } } : {}),
});
