import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { ApiKeyRepository } from '@qadaga/db';
import { loadCsvMapping, loadXesMapping, readCsvRecords, readXesRecords, type ImportRecord } from '@qadaga/importers';
import { openContext } from '../context.js';
import { createOutput } from '../output.js';
import { runImport } from '../import/import-runner.js';

const SHIPPED_MAPPINGS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../libs/importers/mappings');

/** A mapping is a path, or the name of one shipped with the product (e.g. "rtfm"). */
function resolveMapping(given: string): string {
  if (existsSync(given)) return given;
  const shipped = path.join(SHIPPED_MAPPINGS, `${given}.json`);
  if (existsSync(shipped)) return shipped;
  throw new Error(`--mapping: no file ${given} and no shipped mapping of that name`);
}

function formatOf(file: string, given: string | undefined): 'xes' | 'csv' {
  if (given === 'xes' || given === 'csv') return given;
  if (given !== undefined) throw new Error(`--format: must be xes or csv, not ${given}`);
  if (/\.xes(\.zip)?$/iu.test(file) || /\.zip$/iu.test(file)) return 'xes';
  if (/\.csv$/iu.test(file)) return 'csv';
  throw new Error(`cannot tell the format of ${file}: name it .xes, .xes.zip or .csv, or pass --format`);
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('import an event log (IEEE XES, plain or zipped) or a CSV export into the ledger')
    .argument('<file>', 'the file to import')
    .option('--mapping <name-or-path>', 'mapping file, or a shipped mapping name (XES default: rtfm)')
    .option('--format <xes|csv>', 'override the format guessed from the file name')
    .option('--source <code>', "override the mapping's source code")
    .option('--report <path>', 'where rejected records and their reasons are written (NDJSON)')
    .option('--json', 'print { accepted, duplicates, rejected, violations, ... } as the last line')
    .action(async (file: string, options: { mapping?: string; format?: string; source?: string; report?: string; json?: boolean }) => {
      const out = createOutput(options.json === true);
      if (!existsSync(file)) throw new Error(`no such file: ${file}`);
      const format = formatOf(file, options.format);
      const mappingPath = resolveMapping(options.mapping ?? (format === 'xes' ? 'rtfm' : ''));
      const sourceOption = options.source === undefined ? {} : { source: options.source };
      let records: AsyncIterable<ImportRecord>;
      let source: string;
      if (format === 'xes') {
        const mapping = await loadXesMapping(mappingPath);
        source = options.source ?? mapping.source;
        records = readXesRecords(file, mapping, sourceOption);
      } else {
        const mapping = await loadCsvMapping(mappingPath);
        source = options.source ?? mapping.source;
        records = readCsvRecords(file, mapping, sourceOption);
      }
      out.info(`importing ${file} (${format}, mapping ${path.basename(mappingPath)}, source ${source})`);
      const ctx = openContext();
      try {
        await new ApiKeyRepository(ctx.prisma).ensureSource(source, `imported: ${path.basename(file)}`);
        const reportPath = options.report ?? path.join('reports', `import-${path.basename(file)}.rejected.ndjson`);
        const summary = await runImport({
          records,
          pool: ctx.pool,
          reportPath,
          onProgress: (done, rate) => out.progress(`  ${done.toLocaleString('en-US')} records, ${Math.round(rate).toLocaleString('en-US')}/s`),
        });
        out.result(
          summary,
          `accepted ${summary.accepted}, duplicates ${summary.duplicates}, rejected ${summary.rejected} (records); ` +
            `${summary.violations} violations; ${summary.lifecycleEvents.accepted} lifecycle events added in ${summary.seconds.toFixed(1)} s` +
            (summary.report === null ? '' : `\nrejections and reasons: ${summary.report}`),
        );
      } finally {
        await ctx.close();
      }
    });
}
