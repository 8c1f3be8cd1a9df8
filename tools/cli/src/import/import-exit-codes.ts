import type { ImportSummary } from './import-runner.js';

/**
 * What `qadaga import` exits with, so a nightly job can tell a clean day from one to look at.
 * Documented in docs/import-mapping.md; a script relies on these numbers, so they never change.
 */
export const IMPORT_EXIT = {
  /** Every record is in the ledger (new or already there) and the export still shows all it showed before. */
  clean: 0,
  /** Something unexpected: a database that cannot be reached, a bug. */
  failed: 1,
  /** Some records were rejected (their reasons are in the report); the others were imported. */
  someRejected: 2,
  /** The file or the mapping was refused before anything was written. */
  refused: 3,
  /** Every record was imported, but steps or tickets the ledger holds from this source are gone from the export. */
  vanished: 4,
} as const;

export function importExitCode(summary: ImportSummary): number {
  if (summary.rejected > 0) return IMPORT_EXIT.someRejected;
  if (summary.vanished.steps > 0 || summary.vanished.tickets > 0) return IMPORT_EXIT.vanished;
  return IMPORT_EXIT.clean;
}

/** A file or mapping refused before the first write: nothing changed, not even the source's registration. */
export class ImportRefused extends Error {
  readonly exitCode = IMPORT_EXIT.refused;

  constructor(message: string) {
    super(message);
    this.name = 'ImportRefused';
  }
}
