import { parse } from 'csv-parse/sync';
import type { ImportRecord } from '../import-record.js';
import { formatPath, MappingError, type FieldIssue } from '../shared/issues.js';
import type { CsvDialectOptions, CsvMapping } from './csv-mapping-schema.js';
import { referencedColumns } from './csv-mapping-schema.js';
import { readLogicalRecords } from './csv-logical-records.js';
import { mapCsvRow } from './map-csv-row.js';
import type { ReadProgress } from '../shared/read-progress.js';

export interface ReadCsvOptions {
  /** Source system code for the events; defaults to the mapping's. */
  source?: string;
  /** Where the mapping was read from, so a mapping that does not fit the file names both. */
  mappingPath?: string;
  /** Updated as the file is read, for a progress bar. */
  progress?: ReadProgress;
}

type Cells = { ok: true; cells: string[] } | { ok: false; message: string };

/** Parses one record's text into cells with csv-parse (quotes, escaped quotes, trimming). */
function parseCells(text: string, options: CsvDialectOptions): Cells {
  try {
    const rows = parse(text, { delimiter: options.delimiter, quote: options.quote, trim: options.trim, relax_column_count: true });
    const [cells] = rows;
    if (rows.length !== 1 || cells === undefined) return { ok: false, message: `expected one record, read ${rows.length}` };
    return { ok: true, cells };
  } catch (error) {
    // csv-parse counts lines within this one record; the record's own line is in the label.
    return { ok: false, message: (error as Error).message.replace(/ at line \d+/u, '') };
  }
}

/** A file whose header lacks a column the mapping reads cannot be imported at all: say so before any row. */
function checkHeader(header: readonly string[], mapping: CsvMapping, file: string, mappingPath: string): void {
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) issues.push({ path: '(header)', message: `column "${name}" appears twice in ${file}` });
    seen.add(name);
  }
  for (const [column, paths] of referencedColumns(mapping)) {
    if (seen.has(column)) continue;
    for (const path of paths) issues.push({ path: formatPath(path), message: `column "${column}" is not in the header of ${file} (${header.join(', ')})` });
  }
  if (issues.length > 0) throw new MappingError(mappingPath, issues);
}

/**
 * Streams a CSV file as import records, one per data row, in file order. A row that
 * cannot be read or mapped becomes a rejected record naming the field and the reason;
 * the rows after it are imported as usual.
 */
export async function* readCsvRecords(path: string, mapping: CsvMapping, options: ReadCsvOptions = {}): AsyncGenerator<ImportRecord> {
  const source = options.source ?? mapping.source;
  let header: string[] | undefined;
  let index = 0;
  for await (const record of readLogicalRecords(path, mapping.csv, options.progress)) {
    const parsed = parseCells(record.text, mapping.csv);
    if (header === undefined) {
      if (!parsed.ok) throw new MappingError(`header of ${path}`, [{ path: '(header)', message: parsed.message }]);
      header = parsed.cells;
      checkHeader(header, mapping, path, options.mappingPath ?? 'the mapping');
      continue;
    }
    index += 1;
    const label = `line ${record.line}`;
    if (!parsed.ok) {
      yield { index, label, activity: '', rejected: [{ path: '(row)', message: `unreadable CSV: ${parsed.message}` }] };
    } else if (parsed.cells.length !== header.length) {
      yield { index, label, activity: '', rejected: [{ path: '(row)', message: `expected ${header.length} cells as in the header, found ${parsed.cells.length}` }] };
    } else {
      const cells = new Map(header.map((name, i) => [name, parsed.cells[i] ?? '']));
      yield mapCsvRow({ index, line: record.line, cells }, mapping, source);
    }
  }
}
