import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { loadXesMapping, readXesRecords } from '@qadaga/importers';
import { runImport } from '@qadaga/cli';
import { freshBenchDatabase } from './bench-database.js';
import type { PhaseResult } from './ingest.bench.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const RTFM = path.join(ROOT, '../shared/data/rtfm/Road_Traffic_Fine_Management_Process.xes.zip');
const MAPPING = path.join(ROOT, 'libs/importers/mappings/rtfm.json');

/**
 * The RTFM log imported into the ledger, against the same file only read and mapped
 * (no database) in the same run: the gap is what writing to the ledger costs.
 */
export async function runImportBenchmarks(): Promise<PhaseResult[]> {
  if (!existsSync(RTFM)) return [];
  const mapping = await loadXesMapping(MAPPING);
  const t0 = performance.now();
  let records = 0;
  for await (const _ of readXesRecords(RTFM, mapping)) records += 1;
  const readSeconds = (performance.now() - t0) / 1000;
  const pool = await freshBenchDatabase();
  try {
    const t1 = performance.now();
    const summary = await runImport({ records: readXesRecords(RTFM, mapping), pool, reportPath: path.join(ROOT, 'reports/bench-import-rejected.ndjson') });
    const importSeconds = (performance.now() - t1) / 1000;
    return [
      { name: 'RTFM XES read and mapped only (baseline)', events: records, seconds: readSeconds, perSecond: records / readSeconds },
      {
        name: `RTFM XES import into the ledger (${summary.lifecycleEvents.accepted.toLocaleString('en-US')} lifecycle events)`,
        events: summary.accepted,
        seconds: importSeconds,
        perSecond: summary.accepted / importSeconds,
      },
    ];
  } finally {
    await pool.end();
  }
}
