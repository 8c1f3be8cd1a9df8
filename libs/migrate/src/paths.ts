import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Resolved from this file rather than the working directory, so the CLI, the API and
// tests find the same migrations wherever they are started from. The schema and the
// migrations stay with libs/db, whose Prisma client is generated from the same schema;
// this tooling only applies and writes them.
const dbLibRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'db');

export const DEFAULT_SCHEMA_PATH = path.join(dbLibRoot, 'prisma', 'schema.prisma');
export const DEFAULT_MIGRATIONS_DIR = path.join(dbLibRoot, 'prisma', 'migrations');
