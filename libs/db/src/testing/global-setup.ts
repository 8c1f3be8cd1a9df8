import { migrateTestDatabase } from './test-database.js';

/** Vitest global setup: the test database is migrated once, before any test file runs. */
export default async function setup(): Promise<void> {
  await migrateTestDatabase();
}
