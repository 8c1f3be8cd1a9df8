import { loadMapping, type LoadMappingOptions } from '../shared/load-mapping-file.js';
import { xesMappingSchema, type XesMapping } from './xes-mapping-schema.js';

/**
 * Loads and validates an XES mapping from a JSON file path or a parsed object.
 * Throws a MappingError whose `issues` name each field at fault. `options.env` is where
 * keyed hashes read their keys (pass the process environment).
 */
export function loadXesMapping(pathOrObject: string | object, options: LoadMappingOptions = {}): Promise<XesMapping> {
  return loadMapping(pathOrObject, xesMappingSchema, options);
}
