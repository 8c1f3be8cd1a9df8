import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine, SchemaFilter } from '@prisma/schema-engine-wasm';
import type { MigrationConnections } from './migration-connections.js';

type EngineModule = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');

/** No table or enum is managed outside Prisma here. */
export const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };

// Node provides WebAssembly at runtime, but the project's type libraries (ES2023, no DOM)
// do not describe it; this is the little used here.
interface WasmRuntime {
  instantiate(
    binary: Uint8Array,
    imports: Record<string, unknown>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
const { WebAssembly: wasm } = globalThis as unknown as { WebAssembly: WasmRuntime };

let loading: Promise<EngineModule> | undefined;

/**
 * The package's entry point imports the .wasm file as an ES module, which Node cannot do,
 * so the glue module is loaded on its own and the binary instantiated by hand. Once per
 * process: the instance holds no per-database state.
 */
function loadEngineModule(): Promise<EngineModule> {
  loading ??= (async () => {
    const require = createRequire(import.meta.url);
    const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const glue: EngineModule = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const binary = await readFile(path.join(path.dirname(gluePath), 'schema_engine_bg.wasm'));
    const { instance } = await wasm.instantiate(binary, { './schema_engine_bg.js': withUnrefTimers(glue) });
    glue.__wbg_set_wasm(instance.exports);
    const start = instance.exports['__wbindgen_start'];
    if (typeof start !== 'function') throw new Error('The schema engine WebAssembly module has no start function.');
    start();
    return glue;
  })();
  return loading;
}

/**
 * The engine races its advisory lock against a 10-second timer and never clears it (the
 * glue has no clearTimeout), which holds the process open for 10 s after the work is
 * done. Unref'd, the timer still fires while the lock query it guards keeps the process
 * alive.
 */
function withUnrefTimers(glue: EngineModule): Record<string, unknown> {
  const imports: Record<string, unknown> = { ...glue };
  for (const [name, value] of Object.entries(imports)) {
    if (!name.startsWith('__wbg_setTimeout_') || typeof value !== 'function') continue;
    const setTimer = value as (...args: unknown[]) => unknown;
    imports[name] = (...args: unknown[]) => {
      const timer = setTimer(...args);
      if (typeof timer === 'object' && timer !== null && 'unref' in timer && typeof timer.unref === 'function') {
        timer.unref();
      }
      return timer;
    };
  }
  return imports;
}

export interface SchemaFile {
  path: string;
  content: string;
}

export async function readSchemaFile(schemaPath: string): Promise<SchemaFile> {
  return { path: schemaPath, content: await readFile(schemaPath, 'utf8') };
}

/**
 * Runs `work` with an engine on `connections`, then frees the engine and closes every
 * connection and scratch database, whether `work` succeeded or not.
 */
export async function withSchemaEngine<T>(
  schema: SchemaFile,
  connections: MigrationConnections,
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  try {
    const { SchemaEngine: Engine } = await loadEngineModule();
    const engine = await Engine.new(
      { datamodels: [[schema.path, schema.content]] },
      // The engine reports its tracing through this callback; errors reach us as rejections.
      () => undefined,
      bindMigrationAwareSqlAdapterFactory(connections),
    ).catch((error: unknown) => {
      throw engineError(error);
    });
    try {
      return await work(engine).catch((error: unknown) => {
        throw engineError(error);
      });
    } finally {
      engine.free();
    }
  } finally {
    await connections.close();
  }
}

/** The engine rejects with plain objects or strings; callers deserve an Error with its message. */
export function engineError(error: unknown): Error {
  if (error instanceof Error) return error;
  if (typeof error === 'string') return new Error(error);
  if (typeof error === 'object' && error !== null) {
    const message = 'message' in error && typeof error.message === 'string' ? error.message : JSON.stringify(error);
    return new Error(message, { cause: error });
  }
  return new Error(String(error));
}
