-- A checkpoint the signer refused to sign because the chains no longer extend the last
-- signed one: rows at signed positions rewritten, a head moved back or gone, a link broken
-- since. Kept for a person to see, and, like the ledger, only ever added to.
-- CreateTable
CREATE TABLE "integrity_alarm" (
    "id" BIGSERIAL NOT NULL,
    "raised_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "checkpoint_id" BIGINT,
    "failures" JSONB NOT NULL,

    CONSTRAINT "integrity_alarm_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "integrity_alarm_raised_at_idx" ON "integrity_alarm"("raised_at");

CREATE TRIGGER integrity_alarm_append_only
  BEFORE UPDATE OR DELETE ON integrity_alarm
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_rewrite();
