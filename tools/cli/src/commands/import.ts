import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { ApiKeyRepository } from '@qadaga/db';
import { loadCsvMapping, loadXesMapping, MappingError, readCsvRecords, readXesRecords, ReadProgress, type ImportRecord } from '@qadaga/importers';
import { openContext } from '../context.js';
import { createOutput } from '../output.js';
import { runImport } from '../import/import-runner.js';
import { importExitCode, ImportRefused } from '../import/import-exit-codes.js';
import { createImportProgress } from '../import/import-progress.js';
import { endsWithNewline } from '../import/file-ending.js';

const SHIPPED_MAPPINGS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../libs/importers/mappings');

/** A mapping is a path, or the name of one shipped with the product (e.g. "rtfm"). */
function resolveMapping(given: string): string {
  if (existsSync(given)) return given;
  const shipped = path.join(SHIPPED_MAPPINGS, `${given}.json`);
  if (existsSync(shipped)) return shipped;
  throw new ImportRefused(`--mapping: no file ${given} and no shipped mapping of that name`);
}

function formatOf(file: string, given: string | undefined): 'xes' | 'csv' {
  if (given === 'xes' || given === 'csv') return given;
  if (given !== undefined) throw new ImportRefused(`--format: must be xes or csv, not ${given}`);
  if (/\.xes(\.zip)?$/iu.test(file) || /\.zip$/iu.test(file)) return 'xes';
  if (/\.csv$/iu.test(file)) return 'csv';
  throw new ImportRefused(`cannot tell the format of ${file}: name it .xes, .xes.zip or .csv, or pass --format`);
}

/**
 * Reads the first record before anything is written, so a mapping that does not fit the
 * file (a column missing from the header) is refused with every place it is used, and
 * leaves the database exactly as it was. The record read is handed on first.
 */
async function openRecords(records: AsyncIterable<ImportRecord>): Promise<AsyncIterable<ImportRecord>> {
  const iterator = records[Symbol.asyncIterator]();
  let first: IteratorResult<ImportRecord>;
  try {
    first = await iterator.next();
  } catch (error) {
    if (error instanceof MappingError) throw new ImportRefused(error.message);
    throw error;
  }
  return {
    async *[Symbol.asyncIterator]() {
      if (first.done === true) return;
      yield first.value;
      for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) yield next.value;
    },
  };
}

async function loadMappingOrRefuse<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof MappingError) throw new ImportRefused(error.message);
    throw error;
  }
}

interface ImportOptions {
  mapping?: string;
  format?: string;
  source?: string;
  report?: string;
  strict?: boolean;
  json?: boolean;
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('import an event log (IEEE XES, plain or zipped) or a CSV export into the ledger')
    .argument('<file>', 'the file to import')
    .option('--mapping <name-or-path>', 'mapping file, or a shipped mapping name (XES default: rtfm)')
    .option('--format <xes|csv>', 'override the format guessed from the file name')
    .option('--source <code>', "override the mapping's source code")
    .option('--report <path>', 'where rejected records and steps gone from the export are written (NDJSON)')
    .option('--strict', 'refuse a CSV file whose last line has no line break (it may have been cut short)')
    .option('--json', 'print { accepted, duplicates, rejected, vanished, ... } as the last line')
    .addHelpText(
      'after',
      '\nExit codes: 0 every record imported and nothing gone from the export; 2 some records rejected (see the report);\n' +
        '3 the file or mapping was refused and nothing was written; 4 every record imported, but steps or tickets the\n' +
        'ledger holds from this source are gone from the export (see the report); 1 any other failure.',
    )
    .action(async (file: string, options: ImportOptions) => {
      const out = createOutput(options.json === true);
      if (!existsSync(file)) throw new ImportRefused(`no such file: ${file}`);
      const format = formatOf(file, options.format);
      const mappingPath = resolveMapping(options.mapping ?? (format === 'xes' ? 'rtfm' : ''));
      const progress = new ReadProgress();
      let opened: AsyncIterable<ImportRecord>;
      let source: string;
      let snapshot: { source: string; complete: boolean } | undefined;
      if (format === 'xes') {
        const mapping = await loadMappingOrRefuse(() => loadXesMapping(mappingPath, { env: process.env }));
        source = options.source ?? mapping.source;
        opened = await openRecords(readXesRecords(file, mapping, { source, progress }));
      } else {
        const mapping = await loadMappingOrRefuse(() => loadCsvMapping(mappingPath, { env: process.env }));
        source = options.source ?? mapping.source;
        if (!(await endsWithNewline(file))) {
          const problem = `${file}: the last line has no line break, so the file may have been cut short and its last row shortened`;
          if (options.strict === true) throw new ImportRefused(`${problem}; refused (--strict)`);
          out.info(`warning: ${problem}; check that row, or pass --strict to refuse such files`);
        }
        if (mapping.mode === 'current-state') snapshot = { source, complete: mapping.snapshot === 'complete' };
        opened = await openRecords(readCsvRecords(file, mapping, { source, mappingPath, progress }));
      }
      out.info(`importing ${file} (${format}, mapping ${path.basename(mappingPath)}, source ${source})`);
      const ctx = openContext();
      const bar = createImportProgress(progress);
      try {
        await new ApiKeyRepository(ctx.prisma).ensureSource(source, `imported: ${path.basename(file)}`);
        const reportPath = options.report ?? path.join('reports', `import-${path.basename(file)}.report.ndjson`);
        const summary = await runImport({ records: opened, pool: ctx.pool, reportPath, onProgress: (done) => bar.update(done), ...(snapshot === undefined ? {} : { snapshot }) });
        bar.update(summary.accepted + summary.duplicates + summary.rejected);
        bar.stop();
        const gone = summary.vanished.steps + summary.vanished.tickets > 0 ? `; gone from the export: ${summary.vanished.steps} steps, ${summary.vanished.tickets} tickets` : '';
        out.result(
          summary,
          `accepted ${summary.accepted}, duplicates ${summary.duplicates}, rejected ${summary.rejected} (records); ` +
            `${summary.violations} violations; ${summary.lifecycleEvents.accepted} lifecycle events added in ${summary.seconds.toFixed(1)} s${gone}` +
            (summary.report === null ? '' : `\nreport: ${summary.report}`),
        );
        process.exitCode = importExitCode(summary);
      } finally {
        bar.stop();
        await ctx.close();
      }
    });
}
