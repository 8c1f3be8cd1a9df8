import type { CreateMigrationOutput, MigrationList } from '@prisma/schema-engine-wasm';
import type { PgServer } from './database-url.js';
import { MigrationConnections } from './migration-connections.js';
import { NO_FILTER, withSchemaEngine, type SchemaFile } from './schema-engine.js';
import { withThrowawayDatabase } from './throwaway-database.js';

/**
 * Asks the engine for the migration that takes `history` to `schema`, without writing
 * anything. Both databases involved are created on `server` for this call and dropped
 * after it: replaying history resets the database it runs on, so no database that
 * existed before is opened at all, not even read.
 */
export async function diffHistoryToSchema(options: {
  server: PgServer;
  history: MigrationList;
  schema: SchemaFile;
  slug: string;
}): Promise<CreateMigrationOutput> {
  const { server, history, schema, slug } = options;
  return withThrowawayDatabase(server, 'main', (main) =>
    withSchemaEngine(schema, new MigrationConnections(main, { kind: 'throwaway', server }), async (engine) => {
      // createMigration is not handed the adapter factory, so it cannot make a shadow
      // database itself: it reads the replayed history from a cache that devDiagnostic
      // fills, and devDiagnostic only replays what the main database has applied. So, as
      // `prisma migrate dev` does, the (throw-away) main database is brought up to date first.
      await engine.applyMigrations({ migrationsList: history, filters: NO_FILTER });
      const diagnostic = await engine.devDiagnostic({ migrationsList: history, filters: NO_FILTER });
      if (diagnostic.action.tag === 'reset') {
        throw new Error(`The migration history does not replay cleanly: ${diagnostic.action.reason}`);
      }
      return engine.createMigration({
        draft: false,
        migrationName: slug,
        migrationsList: history,
        schema: { files: [schema] },
        filters: NO_FILTER,
      });
    }),
  );
}
