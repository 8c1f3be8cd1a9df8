import type { LifecycleEvent } from '@qadaga/domain';
import type { FieldIssue } from './shared/issues.js';

/**
 * What an importer yields for each source record (one XES log event, one CSV row):
 * the lifecycle events it became, or why it was rejected. Rejections travel in the same
 * stream as the events, so a count of records always equals the count of source records
 * and nothing is dropped without a trace.
 */
interface ImportRecordBase {
  /** 1-based position of the source record in the file (log event or data row). */
  index: number;
  /** Human-readable locator, for example "A100#3 Add penalty" or "line 4 T-0004". */
  label: string;
  /** The source's own name for the step, verbatim (XES activity, CSV status code). */
  activity: string;
  /**
   * A current-state row: the ticket it describes and the prefix of every event id the
   * mapping gives that ticket, so an import can tell which of the ticket's steps already
   * in the ledger this export no longer shows.
   */
  ticket?: { violationRef: string; idPrefix: string };
}

export type AcceptedRecord = ImportRecordBase & { events: LifecycleEvent[] };
export type RejectedRecord = ImportRecordBase & { rejected: FieldIssue[] };
export type ImportRecord = AcceptedRecord | RejectedRecord;

export function isRejected(record: ImportRecord): record is RejectedRecord {
  return 'rejected' in record;
}
