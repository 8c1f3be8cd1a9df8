import { configFromProcess, type AppConfig } from '@qadaga/config';
import { createPool, createPrismaClient, type PrismaClient } from '@qadaga/db';
import type pg from 'pg';

export interface CliContext {
  config: AppConfig;
  pool: pg.Pool;
  prisma: PrismaClient;
  close(): Promise<void>;
}

/** Opens what a command needs from the same configuration the apps use (DATABASE_URL, REDIS_URL). */
export function openContext(): CliContext {
  const config = configFromProcess();
  const pool = createPool({ url: config.database.url, size: 4, applicationName: 'qadaga-cli' });
  const prisma = createPrismaClient(pool);
  return {
    config,
    pool,
    prisma,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
