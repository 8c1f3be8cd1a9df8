export { applyMigrations, type ApplyMigrationsOptions } from './apply-migrations.js';
export { createMigration, type CreateMigrationOptions, type CreatedMigration } from './create-migration.js';
export { migrationStatus, type MigrationStatus } from './migration-status.js';
export { DEFAULT_MIGRATIONS_DIR, DEFAULT_SCHEMA_PATH } from './paths.js';
