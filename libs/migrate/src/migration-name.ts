/** Lowercase words joined by underscores, at most 200 characters: what `prisma migrate dev --name` makes of a name. */
export function slugifyMigrationName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/gu, '_')
    .replace(/^_+|_+$/gu, '')
    .slice(0, 200);
}

/** Prisma's migration timestamps: UTC, to the second, as YYYYMMDDHHMMSS. */
export function migrationTimestamp(at: Date): string {
  return at.toISOString().replace(/\D/gu, '').slice(0, 14);
}

export function assertMigrationTimestamp(timestamp: string): void {
  if (!/^\d{14}$/u.test(timestamp)) {
    throw new Error(`A migration timestamp is 14 digits, YYYYMMDDHHMMSS; got ${timestamp}.`);
  }
}
