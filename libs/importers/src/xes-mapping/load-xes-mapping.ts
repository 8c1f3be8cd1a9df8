import { loadMapping } from '../shared/load-mapping-file.js';
import { xesMappingSchema, type XesMapping } from './xes-mapping-schema.js';

/**
 * Loads and validates an XES mapping from a JSON file path or a parsed object.
 * Throws a MappingError whose `issues` name each field at fault.
 */
export function loadXesMapping(pathOrObject: string | object): Promise<XesMapping> {
  return loadMapping(pathOrObject, xesMappingSchema);
}
