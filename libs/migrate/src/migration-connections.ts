import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import {
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import { CharAsTextClient } from './char-as-text-client.js';
import { clientConfig, type PgDatabase, type PgServer } from './database-url.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from './throwaway-database.js';

/**
 * What the engine gets when it asks for a shadow database. Deploying never needs one, so
 * it is refused; creating a migration gets a throw-away database.
 * adapter-pg's own connectToShadowDb is never used: it spreads {...config, database},
 * the connection string wins over `database`, and the "shadow" work (including a reset)
 * lands on the real database.
 */
export type ShadowDatabasePolicy = { kind: 'refuse' } | { kind: 'throwaway'; server: PgServer };

/**
 * The driver-adapter factory handed to the WebAssembly schema engine. It remembers every
 * pool and scratch database it opened so that close() can end them all: engine.free() is
 * synchronous and ends no pool, and an open pg pool keeps the process alive.
 */
export class MigrationConnections implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'postgres' as const;
  readonly adapterName = '@prisma/adapter-pg';
  private readonly open = new Set<SqlDriverAdapter>();
  private readonly scratch: ThrowawayDatabase[] = [];

  constructor(
    private readonly main: PgDatabase,
    private readonly shadow: ShadowDatabasePolicy,
  ) {}

  connect(): Promise<SqlDriverAdapter> {
    return this.adapterFor(this.main);
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    if (this.shadow.kind === 'refuse') {
      throw new Error('This operation must not need a shadow database, and none is given to it.');
    }
    const scratch = await createThrowawayDatabase(this.shadow.server, 'shadow');
    this.scratch.push(scratch);
    return this.adapterFor(scratch.target, () => scratch.drop());
  }

  async close(): Promise<void> {
    const failures: unknown[] = [];
    for (const adapter of [...this.open]) await adapter.dispose().catch((error: unknown) => failures.push(error));
    for (const scratch of this.scratch) await scratch.drop().catch((error: unknown) => failures.push(error));
    if (failures.length > 0) throw new AggregateError(failures, 'Could not release every migration connection.');
  }

  private async adapterFor(target: PgDatabase, afterDispose?: () => Promise<void>): Promise<SqlDriverAdapter> {
    const adapter = await new PrismaPg({ ...clientConfig(target), Client: CharAsTextClient }).connect();
    const pool = adapter.underlyingDriver();
    // adapter-pg splits a script on every ';' and runs the pieces one by one on whichever
    // pooled connection is free: a function body or a string containing ';' breaks, and a
    // failing statement leaves the ones before it applied. Sent whole, as the native engine
    // does, PostgreSQL runs the script as one implicit transaction.
    adapter.executeScript = async (script: string) => {
      await pool.query(script).catch((error: unknown) => {
        throw asDriverAdapterError(error);
      });
    };
    const dispose = adapter.dispose.bind(adapter);
    let disposed = false;
    // Both the engine and close() may dispose the same adapter; pg throws on a second end().
    adapter.dispose = async () => {
      if (disposed) return;
      disposed = true;
      this.open.delete(adapter);
      await dispose();
      await afterDispose?.();
    };
    this.open.add(adapter);
    return adapter;
  }
}

/** The engine only shows the database's own message for errors in the driver-adapter shape. */
function asDriverAdapterError(error: unknown): unknown {
  if (!(error instanceof pg.DatabaseError) || error.code === undefined) return error;
  return new DriverAdapterError({
    kind: 'postgres',
    code: error.code,
    severity: error.severity ?? 'ERROR',
    message: error.message,
    detail: error.detail,
    column: error.column,
    hint: error.hint,
    originalCode: error.code,
    originalMessage: error.message,
  });
}
