import { REPEATABLE_STEPS, type EventType } from '@qadaga/domain';
import { isRejected, type ImportRecord } from '@qadaga/importers';
import type pg from 'pg';

/** A step the ledger holds for a ticket that the ticket's row in this export no longer implies. */
export interface VanishedStep {
  violationRef: string;
  eventId: string;
  type: string;
  occurredAt: string;
  /** The line of the export that shows the ticket without this step. */
  label: string;
  /** The status the ticket has in this export. */
  status: string;
}

/** A ticket the ledger holds from this source that a complete export does not list at all. */
export interface VanishedTicket {
  violationRef: string;
  steps: number;
  lastStepAt: string;
}

interface StoredStep {
  violation_ref: string;
  event_id: string;
  type: string;
  occurred_at: Date;
}

/**
 * Compares a current-state export with what the ledger already holds from its source. The
 * ledger never forgets a step, so a step that an export stops showing (a payment, a
 * cancellation) is not undone here: it is reported, because a record deleted at the source
 * is exactly what a register of fines exists to notice.
 */
export class SnapshotComparison {
  private readonly listed = new Set<string>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly source: string,
  ) {}

  /** Notes that the export lists this ticket, whether or not its row could be imported. */
  saw(record: ImportRecord): void {
    if (record.ticket !== undefined) this.listed.add(record.ticket.violationRef);
  }

  /** Steps of these rows' tickets that the ledger holds under the mapping's ids but the rows no longer imply. */
  async vanishedSteps(records: readonly ImportRecord[]): Promise<VanishedStep[]> {
    const rows = new Map<string, { record: ImportRecord; prefix: string; ids: Set<string>; types: Set<EventType> }>();
    for (const record of records) {
      if (record.ticket === undefined || isRejected(record)) continue;
      const ids = new Set(record.events.map((e) => e.eventId));
      rows.set(record.ticket.violationRef, { record, prefix: record.ticket.idPrefix, ids, types: new Set(record.events.map((e) => e.type)) });
    }
    if (rows.size === 0) return [];
    const { rows: stored } = await this.pool.query<StoredStep>(
      'SELECT violation_ref, event_id, type, occurred_at FROM ledger_event WHERE violation_ref = ANY($1::text[]) AND source = $2 ORDER BY violation_ref, occurred_at, event_id',
      [[...rows.keys()], this.source],
    );
    const gone: VanishedStep[] = [];
    for (const step of stored) {
      const row = rows.get(step.violation_ref);
      // Only ids this mapping gives the ticket: events the source sent by another route are not the export's to show.
      if (row === undefined || !step.event_id.startsWith(row.prefix) || row.ids.has(step.event_id)) continue;
      // A row shows the latest of a step that repeats (the last payment): an earlier one is not gone while the row shows a later.
      if (REPEATABLE_STEPS.has(step.type as EventType) && row.types.has(step.type as EventType)) continue;
      gone.push({
        violationRef: step.violation_ref,
        eventId: step.event_id,
        type: step.type,
        occurredAt: step.occurred_at.toISOString(),
        label: row.record.label,
        status: row.record.activity,
      });
    }
    return gone;
  }

  /** Tickets the ledger holds from this source that the export did not list: only meaningful for a complete export. */
  async vanishedTickets(): Promise<VanishedTicket[]> {
    const { rows } = await this.pool.query<{ violation_ref: string; steps: string; last_at: Date }>(
      'SELECT violation_ref, count(*) AS steps, max(occurred_at) AS last_at FROM ledger_event WHERE source = $1 GROUP BY violation_ref ORDER BY violation_ref',
      [this.source],
    );
    return rows
      .filter((row) => !this.listed.has(row.violation_ref))
      .map((row) => ({ violationRef: row.violation_ref, steps: Number(row.steps), lastStepAt: row.last_at.toISOString() }));
  }
}
