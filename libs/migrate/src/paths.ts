import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Resolved from this file rather than the working directory, so the CLI, the API and
// tests find the same migrations wherever they are started from.
const libRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const DEFAULT_SCHEMA_PATH = path.join(libRoot, 'prisma', 'schema.prisma');
export const DEFAULT_MIGRATIONS_DIR = path.join(libRoot, 'prisma', 'migrations');
