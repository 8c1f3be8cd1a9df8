-- DropIndex
DROP INDEX "ledger_event_actor_id_idx";

-- DropIndex
DROP INDEX "ledger_event_type_occurred_at_idx";

-- CreateIndex
CREATE INDEX "ledger_event_type_time_actor" ON "ledger_event"("type", "occurred_at", "actor_id", "violation_ref", "source", "event_id", "actor_kind", "actor_unit", "actor_workstation");

-- Index-only scans skip the heap only on pages the visibility map marks all-visible, and
-- only vacuum marks them. By default an insert-only table is vacuumed after inserts of a
-- fifth of its size; a fiftieth keeps the unmarked tail small on a ledger of many millions.
ALTER TABLE "ledger_event" SET (autovacuum_vacuum_insert_scale_factor = 0.02);
