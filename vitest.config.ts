import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['apps/*/src/**/*.spec.{ts,tsx}', 'apps/*/e2e/**/*.spec.ts', 'libs/*/src/**/*.spec.ts', 'tools/*/src/**/*.spec.ts'],
    setupFiles: ['reflect-metadata'],
    globalSetup: ['libs/db/src/testing/global-setup.ts'],
    // Integration tests share one real PostgreSQL database and one Redis; running files
    // one after another keeps them from resetting each other's tables.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
