import { loadMapping } from '../shared/load-mapping-file.js';
import { csvMappingSchema, type CsvMapping } from './csv-mapping-schema.js';

/**
 * Loads and validates a CSV mapping from a JSON file path or a parsed object.
 * Throws a MappingError whose `issues` name each field at fault.
 */
export function loadCsvMapping(pathOrObject: string | object): Promise<CsvMapping> {
  return loadMapping(pathOrObject, csvMappingSchema);
}
