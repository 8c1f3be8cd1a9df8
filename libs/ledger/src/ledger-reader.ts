import type { Pool } from 'pg';
import { plateKey, type LifecycleEvent, type ViolationStatus } from '@qadaga/domain';
import type { PrismaClient, Violation } from '@qadaga/db';
import type { EvidenceEvent, PlateStatement as PlateStatementAnswer, ViolationView } from '@qadaga/contracts/api';
import { evidenceEvents } from './events/evidence-events.js';
import { LEDGER_EVENT_COLUMNS, rowToEvent, type LedgerEventRow } from './ledger-row.js';

export interface TimelineEntry {
  event: LifecycleEvent;
  ledger: { rowId: string; chainId: string; chainSeq: string; contentHash: string; chainHash: string; receivedAt: string };
}

/** A violation as the API answers it: the contract is the reader's type. */
export type { ViolationView };

/** A plate's statement, before the API adds what recusal withheld. */
export type PlateStatement = Omit<PlateStatementAnswer, 'withheldForRecusal'>;

export interface LedgerStats {
  violations: number;
  events: number;
  eventsByType: Record<string, number>;
  eventsBySource: Record<string, number>;
  violationsByStatus: Record<string, number>;
  anomalies: number;
  conflicts: number;
}

/** The columns hold text, but only the projection writes them, with the statuses deriveViolation derives. */
function toView(v: Violation): ViolationView {
  const bySource = (v.statusBySource ?? {}) as Record<string, ViolationStatus>;
  return {
    ref: v.ref,
    status: v.status as ViolationStatus,
    plate: v.plate,
    plateKey: v.plateKey,
    detectedPlate: v.detectedPlate,
    cameraId: v.cameraId,
    district: v.district,
    article: v.article,
    fineAmount: v.fineAmount === null ? null : Number(v.fineAmount),
    paidAmount: Number(v.paidAmount),
    amountOwed: Number(v.amountOwed),
    detectedAt: v.detectedAt?.toISOString() ?? null,
    lastEventAt: v.lastEventAt?.toISOString() ?? null,
    statusBySource: bySource,
    officerIds: v.officerIds,
    eventCount: v.eventCount,
    anomalies: Array.isArray(v.anomalies) ? v.anomalies : [],
  };
}

/** The read side of the ledger: one violation, one plate, and the ledger's counts. */
export class LedgerReader {
  constructor(
    private readonly pool: Pool,
    private readonly prisma: PrismaClient,
  ) {}

  /** What each event a flag rests on was (see evidenceEvents). */
  async evidenceEvents(keys: readonly { source: string; eventId: string }[]): Promise<EvidenceEvent[]> {
    return evidenceEvents(this.pool, keys);
  }

  async violation(ref: string): Promise<{ violation: ViolationView; timeline: TimelineEntry[] } | null> {
    const v = await this.prisma.violation.findUnique({ where: { ref } });
    if (v === null) return null;
    const { rows } = await this.pool.query<LedgerEventRow>(
      `SELECT ${LEDGER_EVENT_COLUMNS} FROM ledger_event WHERE violation_ref = $1 ORDER BY occurred_at, recorded_at NULLS FIRST, id`,
      [ref],
    );
    return {
      violation: toView(v),
      timeline: rows.map((row) => ({
        event: rowToEvent(row),
        ledger: {
          rowId: row.id,
          chainId: row.chain_id,
          chainSeq: row.chain_seq,
          contentHash: row.content_hash,
          chainHash: row.chain_hash,
          receivedAt: row.received_at.toISOString(),
        },
      })),
    };
  }

  /** Every violation of a plate however it was typed, and what is owed on it now. */
  async plate(received: string): Promise<PlateStatement> {
    const key = plateKey(received);
    const rows = await this.prisma.violation.findMany({ where: { plateKey: key }, orderBy: { detectedAt: 'desc' }, take: 1_000 });
    const violations = rows.map(toView);
    return {
      plate: received,
      plateKey: key,
      violations,
      totalOwed: violations.reduce((sum, v) => sum + v.amountOwed, 0),
      openCount: violations.filter((v) => v.amountOwed > 0).length,
    };
  }

  async stats(): Promise<LedgerStats> {
    const [byType, bySource, byStatus, anomalies, conflicts] = await Promise.all([
      this.pool.query<{ key: string; n: string }>('SELECT type AS key, count(*) AS n FROM ledger_event GROUP BY type'),
      this.pool.query<{ key: string; n: string }>('SELECT source AS key, count(*) AS n FROM ledger_event GROUP BY source'),
      this.pool.query<{ key: string; n: string }>('SELECT status AS key, count(*) AS n FROM violation GROUP BY status'),
      this.pool.query<{ n: string }>('SELECT coalesce(sum(anomaly_count), 0) AS n FROM violation'),
      this.pool.query<{ n: string }>('SELECT count(*) AS n FROM ingest_conflict'),
    ]);
    const toRecord = (rows: { key: string; n: string }[]) => Object.fromEntries(rows.map((r) => [r.key, Number(r.n)]));
    const eventsByType = toRecord(byType.rows);
    const violationsByStatus = toRecord(byStatus.rows);
    return {
      violations: Object.values(violationsByStatus).reduce((a, b) => a + b, 0),
      events: Object.values(eventsByType).reduce((a, b) => a + b, 0),
      eventsByType,
      eventsBySource: toRecord(bySource.rows),
      violationsByStatus,
      anomalies: Number(anomalies.rows[0]?.n ?? 0),
      conflicts: Number(conflicts.rows[0]?.n ?? 0),
    };
  }
}
