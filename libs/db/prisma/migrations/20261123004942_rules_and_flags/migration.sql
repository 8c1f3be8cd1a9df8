-- AlterTable
ALTER TABLE "source_system" ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'other';

-- CreateTable
CREATE TABLE "officer" (
    "id" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "shift" JSONB NOT NULL,
    "absences" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "officer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "vehicle" (
    "plate_key" TEXT NOT NULL,
    "plate" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "owner_ref" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "vehicle_pkey" PRIMARY KEY ("plate_key")
);

-- CreateTable
CREATE TABLE "camera" (
    "id" TEXT NOT NULL,
    "district" TEXT NOT NULL,
    "lat" DOUBLE PRECISION NOT NULL,
    "lon" DOUBLE PRECISION NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "camera_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dispatch" (
    "id" TEXT NOT NULL,
    "plate_key" TEXT NOT NULL,
    "from_at" TIMESTAMPTZ(3) NOT NULL,
    "to_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "dispatch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rule" (
    "id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_version" INTEGER,

    CONSTRAINT "rule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rule_version" (
    "rule_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "definition" JSONB NOT NULL,
    "definition_hash" TEXT NOT NULL,
    "author_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "submitted_at" TIMESTAMPTZ(3),
    "approved_by" TEXT,
    "approved_at" TIMESTAMPTZ(3),
    "published_by" TEXT,
    "published_at" TIMESTAMPTZ(3),

    CONSTRAINT "rule_version_pkey" PRIMARY KEY ("rule_id","version")
);

-- CreateTable
CREATE TABLE "flag" (
    "id" UUID NOT NULL,
    "rule_id" TEXT NOT NULL,
    "rule_version" INTEGER NOT NULL,
    "scheme" TEXT NOT NULL,
    "subject_kind" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'new',
    "status_reason" TEXT,
    "severity" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "q_value" DOUBLE PRECISION,
    "explanation" JSONB NOT NULL,
    "facts" JSONB NOT NULL,
    "baseline" JSONB NOT NULL,
    "evidence" JSONB NOT NULL,
    "unit" TEXT,
    "district" TEXT,
    "window_from" TIMESTAMPTZ(3) NOT NULL,
    "window_to" TIMESTAMPTZ(3) NOT NULL,
    "first_raised_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_raised_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "flag_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "flag_history" (
    "id" BIGSERIAL NOT NULL,
    "flag_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "from" TEXT,
    "to" TEXT,
    "reason" TEXT,

    CONSTRAINT "flag_history_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "suppression" (
    "id" UUID NOT NULL,
    "rule_id" TEXT NOT NULL,
    "subject_kind" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "until" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "suppression_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox_cursor" (
    "consumer" TEXT NOT NULL,
    "chain_id" TEXT NOT NULL,
    "seq" BIGINT NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outbox_cursor_pkey" PRIMARY KEY ("consumer","chain_id")
);

-- CreateTable
CREATE TABLE "pending_evaluation" (
    "subject_kind" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "since" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pending_evaluation_pkey" PRIMARY KEY ("subject_kind","subject_id")
);

-- CreateIndex
CREATE INDEX "officer_unit_role_idx" ON "officer"("unit", "role");

-- CreateIndex
CREATE INDEX "dispatch_plate_key_from_at_idx" ON "dispatch"("plate_key", "from_at");

-- CreateIndex
CREATE INDEX "flag_status_severity_idx" ON "flag"("status", "severity");

-- CreateIndex
CREATE INDEX "flag_rule_id_status_idx" ON "flag"("rule_id", "status");

-- CreateIndex
CREATE INDEX "flag_subject_kind_subject_id_idx" ON "flag"("subject_kind", "subject_id");

-- CreateIndex
CREATE INDEX "flag_unit_idx" ON "flag"("unit");

-- CreateIndex
CREATE INDEX "flag_last_raised_at_idx" ON "flag"("last_raised_at");

-- CreateIndex
CREATE INDEX "flag_history_flag_id_idx" ON "flag_history"("flag_id");

-- CreateIndex
CREATE INDEX "suppression_rule_id_subject_kind_subject_id_idx" ON "suppression"("rule_id", "subject_kind", "subject_id");

-- AddForeignKey
ALTER TABLE "rule_version" ADD CONSTRAINT "rule_version_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "rule"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- One open flag per rule and subject: a rule firing again updates that flag. A dismissed
-- flag is closed, so the same subject can be raised anew later.
CREATE UNIQUE INDEX "flag_open_per_rule_subject" ON "flag" ("rule_id", "subject_kind", "subject_id")
  WHERE "status" <> 'dismissed';

-- A published rule version never changes: flags quote it and bundles hash it.
CREATE FUNCTION rule_version_refuse_rewrite() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status IN ('published', 'retired') AND (NEW.definition IS DISTINCT FROM OLD.definition OR NEW.definition_hash IS DISTINCT FROM OLD.definition_hash) THEN
    RAISE EXCEPTION 'rule % version % is published and cannot change', OLD.rule_id, OLD.version
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'DELETE' AND OLD.status IN ('published', 'retired') THEN
    RAISE EXCEPTION 'rule % version % is published and cannot be deleted', OLD.rule_id, OLD.version
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END;
$$;

CREATE TRIGGER rule_version_immutable_once_published
  BEFORE UPDATE OR DELETE ON rule_version
  FOR EACH ROW EXECUTE FUNCTION rule_version_refuse_rewrite();

CREATE TRIGGER flag_history_append_only
  BEFORE UPDATE OR DELETE ON flag_history
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_rewrite();

-- Facts are computed per actor, plate and time window over the ledger.
CREATE INDEX "ledger_event_actor_time" ON "ledger_event" ("actor_id", "occurred_at");
CREATE INDEX "ledger_event_plate" ON "ledger_event" ((payload->>'plate')) WHERE type = 'detected';
