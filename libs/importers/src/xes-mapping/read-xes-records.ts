import type { ImportRecord } from '../import-record.js';
import { readXesTraces } from '../xes/read-xes-traces.js';
import { mapXesTrace, type MapXesOptions } from './map-xes-trace.js';
import type { XesMapping } from './xes-mapping-schema.js';
import type { ReadProgress } from '../shared/read-progress.js';

/**
 * Streams an XES log (.xes or .zip) as import records: one per log event, in file order,
 * each holding the lifecycle events the mapping made of it or the reasons it was rejected.
 */
export async function* readXesRecords(
  path: string,
  mapping: XesMapping,
  options: MapXesOptions & { progress?: ReadProgress } = {},
): AsyncGenerator<ImportRecord> {
  for await (const trace of readXesTraces(path, options.progress === undefined ? {} : { progress: options.progress })) {
    yield* mapXesTrace(trace, mapping, options);
  }
}
