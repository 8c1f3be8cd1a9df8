import { createHash } from 'node:crypto';

/** What `_prisma_migrations.checksum` holds: the SHA-256 of migration.sql, in hex. */
export function migrationChecksum(script: string): string {
  return createHash('sha256').update(script, 'utf8').digest('hex');
}

/**
 * A checkout that converted line endings has not edited the migration; Prisma accepts
 * either form for the same reason.
 */
export function matchesChecksum(script: string, checksum: string): boolean {
  const lf = script.replaceAll('\r\n', '\n');
  return [script, lf, lf.replaceAll('\n', '\r\n')].some((form) => migrationChecksum(form) === checksum);
}
