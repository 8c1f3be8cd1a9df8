import { randomBytes } from 'node:crypto';
import { onDatabase, type PgDatabase, type PgServer } from './database-url.js';
import { createDatabase, dropDatabaseForce } from './server-admin.js';

/**
 * Every database this module drops carries this prefix, and the drop refuses any other
 * name: a mix-up between "scratch" and "real" then fails loudly instead of losing data.
 */
export const THROWAWAY_PREFIX = 'qadaga_throwaway_';

export interface ThrowawayDatabase {
  readonly target: PgDatabase;
  drop(): Promise<void>;
}

export async function createThrowawayDatabase(server: PgServer, purpose: string): Promise<ThrowawayDatabase> {
  if (!/^[a-z]{1,12}$/u.test(purpose)) throw new Error(`Unusable throw-away database purpose: ${purpose}`);
  const name = `${THROWAWAY_PREFIX}${purpose}_${randomBytes(8).toString('hex')}`;
  await createDatabase(server, name);
  let dropped = false;
  return {
    target: onDatabase(server, name),
    drop: async () => {
      if (dropped) return;
      await dropThrowawayDatabase(server, name);
      dropped = true;
    },
  };
}

export async function dropThrowawayDatabase(server: PgServer, name: string): Promise<void> {
  if (!name.startsWith(THROWAWAY_PREFIX)) {
    throw new Error(`Refusing to drop ${name}: only ${THROWAWAY_PREFIX}* databases are dropped here.`);
  }
  await dropDatabaseForce(server, name);
}

export async function withThrowawayDatabase<T>(
  server: PgServer,
  purpose: string,
  work: (target: PgDatabase) => Promise<T>,
): Promise<T> {
  const scratch = await createThrowawayDatabase(server, purpose);
  try {
    return await work(scratch.target);
  } finally {
    await scratch.drop();
  }
}
