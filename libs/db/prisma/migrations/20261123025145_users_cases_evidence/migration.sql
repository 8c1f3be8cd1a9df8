/*
  Warnings:

  - A unique constraint covering the columns `[lane,seq]` on the table `access_log` will be added. If there are existing duplicate values, this will fail.

*/
-- AlterTable
ALTER TABLE "access_log" ADD COLUMN     "chain_hash" TEXT,
ADD COLUMN     "content_hash" TEXT,
ADD COLUMN     "lane" INTEGER,
ADD COLUMN     "seq" BIGINT;

-- AlterTable
ALTER TABLE "flag" ADD COLUMN     "label" TEXT;

-- CreateTable
CREATE TABLE "app_user" (
    "id" UUID NOT NULL,
    "username" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "password_hash" TEXT,
    "roles" TEXT[],
    "locale" TEXT NOT NULL DEFAULT 'ru',
    "officer_id" TEXT,
    "unit" TEXT,
    "external_subject" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabled_at" TIMESTAMPTZ(3),

    CONSTRAINT "app_user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "user_session" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "user_session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "access_log_chain" (
    "lane" INTEGER NOT NULL,
    "head_seq" BIGINT NOT NULL DEFAULT 0,
    "head_hash" TEXT NOT NULL,

    CONSTRAINT "access_log_chain_pkey" PRIMARY KEY ("lane")
);

-- CreateTable
CREATE TABLE "pseudonym" (
    "pseudonym" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "value" TEXT NOT NULL,

    CONSTRAINT "pseudonym_pkey" PRIMARY KEY ("pseudonym")
);

-- CreateTable
CREATE TABLE "case_file" (
    "id" UUID NOT NULL,
    "number" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "outcome" TEXT,
    "assignee_id" UUID,
    "due_at" TIMESTAMPTZ(3),
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "close_requested_by" TEXT,
    "close_requested_at" TIMESTAMPTZ(3),
    "close_outcome" TEXT,
    "close_reason" TEXT,
    "closed_by" TEXT,
    "closed_at" TIMESTAMPTZ(3),

    CONSTRAINT "case_file_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "case_flag" (
    "case_id" UUID NOT NULL,
    "flag_id" UUID NOT NULL,
    "added_by" TEXT NOT NULL,
    "added_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "case_flag_pkey" PRIMARY KEY ("case_id","flag_id")
);

-- CreateTable
CREATE TABLE "case_note" (
    "id" BIGSERIAL NOT NULL,
    "case_id" UUID NOT NULL,
    "author_id" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "text" TEXT NOT NULL,

    CONSTRAINT "case_note_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "case_attachment" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "media_type" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "content" BYTEA NOT NULL,
    "added_by" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "case_attachment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "case_event" (
    "id" BIGSERIAL NOT NULL,
    "case_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "details" JSONB,

    CONSTRAINT "case_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_checkpoint" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "ledger_heads" JSONB NOT NULL,
    "access_log_head" JSONB,
    "key_id" TEXT NOT NULL,
    "public_key" TEXT NOT NULL,
    "signature" TEXT NOT NULL,

    CONSTRAINT "ledger_checkpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "evidence_bundle" (
    "id" UUID NOT NULL,
    "case_id" UUID,
    "query" JSONB,
    "reason" TEXT NOT NULL,
    "requested_by" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "progress" INTEGER NOT NULL DEFAULT 0,
    "file_name" TEXT NOT NULL,
    "sha256" TEXT,
    "size" BIGINT,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "evidence_bundle_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "evidence_bundle_chunk" (
    "bundle_id" UUID NOT NULL,
    "n" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "evidence_bundle_chunk_pkey" PRIMARY KEY ("bundle_id","n")
);

-- CreateIndex
CREATE UNIQUE INDEX "app_user_username_key" ON "app_user"("username");

-- CreateIndex
CREATE UNIQUE INDEX "app_user_external_subject_key" ON "app_user"("external_subject");

-- CreateIndex
CREATE UNIQUE INDEX "user_session_token_hash_key" ON "user_session"("token_hash");

-- CreateIndex
CREATE INDEX "user_session_user_id_idx" ON "user_session"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "pseudonym_kind_value_key" ON "pseudonym"("kind", "value");

-- CreateIndex
CREATE UNIQUE INDEX "case_file_number_key" ON "case_file"("number");

-- CreateIndex
CREATE INDEX "case_file_status_due_at_idx" ON "case_file"("status", "due_at");

-- CreateIndex
CREATE INDEX "case_file_assignee_id_idx" ON "case_file"("assignee_id");

-- CreateIndex
CREATE INDEX "case_flag_flag_id_idx" ON "case_flag"("flag_id");

-- CreateIndex
CREATE INDEX "case_note_case_id_idx" ON "case_note"("case_id");

-- CreateIndex
CREATE INDEX "case_attachment_case_id_idx" ON "case_attachment"("case_id");

-- CreateIndex
CREATE INDEX "case_event_case_id_idx" ON "case_event"("case_id");

-- CreateIndex
CREATE INDEX "ledger_checkpoint_at_idx" ON "ledger_checkpoint"("at");

-- CreateIndex
CREATE INDEX "evidence_bundle_case_id_idx" ON "evidence_bundle"("case_id");

-- CreateIndex
CREATE UNIQUE INDEX "access_log_lane_seq_key" ON "access_log"("lane", "seq");
