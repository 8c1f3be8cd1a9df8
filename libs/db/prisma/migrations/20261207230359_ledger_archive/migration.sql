-- CreateTable
CREATE TABLE "ledger_archive" (
    "month" TEXT NOT NULL,
    "from_at" TIMESTAMPTZ(3) NOT NULL,
    "to_at" TIMESTAMPTZ(3) NOT NULL,
    "start_checkpoint" JSONB NOT NULL,
    "end_checkpoint" JSONB NOT NULL,
    "rows" BIGINT NOT NULL,
    "file_name" TEXT NOT NULL,
    "file_sha256" TEXT NOT NULL,
    "partition_name" TEXT,
    "detached_at" TIMESTAMPTZ(3),
    "partition_dropped" BOOLEAN NOT NULL DEFAULT false,
    "archived_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_archive_pkey" PRIMARY KEY ("month")
);
