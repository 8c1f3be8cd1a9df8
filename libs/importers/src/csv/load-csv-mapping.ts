import { loadMapping, type LoadMappingOptions } from '../shared/load-mapping-file.js';
import { csvMappingSchema, type CsvMapping } from './csv-mapping-schema.js';

/**
 * Loads and validates a CSV mapping from a JSON file path or a parsed object.
 * Throws a MappingError whose `issues` name each field at fault. `options.env` is where
 * keyed hashes read their keys (pass the process environment).
 */
export function loadCsvMapping(pathOrObject: string | object, options: LoadMappingOptions = {}): Promise<CsvMapping> {
  return loadMapping(pathOrObject, csvMappingSchema, options);
}
