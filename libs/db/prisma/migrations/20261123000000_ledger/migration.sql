-- CreateTable
CREATE TABLE "source_system" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "source_system_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "api_key" (
    "id" UUID NOT NULL,
    "source_code" TEXT,
    "roles" TEXT[],
    "prefix" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "label" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_chain" (
    "chain_id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "lane" INTEGER NOT NULL,
    "head_seq" BIGINT NOT NULL DEFAULT 0,
    "head_hash" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_chain_pkey" PRIMARY KEY ("chain_id")
);

-- CreateTable
CREATE TABLE "ledger_event" (
    "id" BIGSERIAL NOT NULL,
    "chain_id" TEXT NOT NULL,
    "chain_seq" BIGINT NOT NULL,
    "source" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "violation_ref" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "recorded_at" TIMESTAMPTZ(3),
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_kind" TEXT NOT NULL,
    "actor_id" TEXT NOT NULL,
    "actor_unit" TEXT,
    "actor_workstation" TEXT,
    "payload" JSONB NOT NULL,
    "content_hash" TEXT NOT NULL,
    "chain_hash" TEXT NOT NULL,

    CONSTRAINT "ledger_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ingest_conflict" (
    "id" BIGSERIAL NOT NULL,
    "source" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "stored_hash" TEXT NOT NULL,
    "offered_hash" TEXT NOT NULL,
    "offered" JSONB NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ingest_conflict_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "violation" (
    "ref" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "plate" TEXT,
    "plate_key" TEXT,
    "detected_plate" TEXT,
    "camera_id" TEXT,
    "district" TEXT,
    "article" TEXT,
    "fine_amount" DECIMAL(14,2),
    "paid_amount" DECIMAL(14,2) NOT NULL DEFAULT 0,
    "amount_owed" DECIMAL(14,2) NOT NULL DEFAULT 0,
    "detected_at" TIMESTAMPTZ(3),
    "last_event_at" TIMESTAMPTZ(3),
    "status_by_source" JSONB NOT NULL,
    "officer_ids" TEXT[],
    "event_count" INTEGER NOT NULL,
    "anomalies" JSONB NOT NULL,
    "anomaly_count" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "violation_pkey" PRIMARY KEY ("ref")
);

-- CreateTable
CREATE TABLE "access_log" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "principal" TEXT NOT NULL,
    "roles" TEXT[],
    "action" TEXT NOT NULL,
    "subject_kind" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "reason" TEXT,
    "details" JSONB,

    CONSTRAINT "access_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_key_key_hash_key" ON "api_key"("key_hash");

-- CreateIndex
CREATE INDEX "api_key_source_code_idx" ON "api_key"("source_code");

-- CreateIndex
CREATE INDEX "ledger_event_violation_ref_idx" ON "ledger_event"("violation_ref");

-- CreateIndex
CREATE INDEX "ledger_event_type_occurred_at_idx" ON "ledger_event"("type", "occurred_at");

-- CreateIndex
CREATE INDEX "ledger_event_actor_id_idx" ON "ledger_event"("actor_id");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_event_source_event_id_key" ON "ledger_event"("source", "event_id");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_event_chain_id_chain_seq_key" ON "ledger_event"("chain_id", "chain_seq");

-- CreateIndex
CREATE INDEX "ingest_conflict_source_event_id_idx" ON "ingest_conflict"("source", "event_id");

-- CreateIndex
CREATE INDEX "violation_plate_key_idx" ON "violation"("plate_key");

-- CreateIndex
CREATE INDEX "violation_status_idx" ON "violation"("status");

-- CreateIndex
CREATE INDEX "violation_detected_at_idx" ON "violation"("detected_at");

-- CreateIndex
CREATE INDEX "access_log_subject_kind_subject_id_idx" ON "access_log"("subject_kind", "subject_id");

-- CreateIndex
CREATE INDEX "access_log_principal_at_idx" ON "access_log"("principal", "at");

-- AddForeignKey
ALTER TABLE "api_key" ADD CONSTRAINT "api_key_source_code_fkey" FOREIGN KEY ("source_code") REFERENCES "source_system"("code") ON DELETE SET NULL ON UPDATE CASCADE;

-- CreateIndex
CREATE UNIQUE INDEX "ledger_chain_source_lane_key" ON "ledger_chain"("source", "lane");
