-- AlterTable
ALTER TABLE "flag" ADD COLUMN     "assignee_id" UUID,
ADD COLUMN     "due_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "flag_comment" (
    "id" BIGSERIAL NOT NULL,
    "flag_id" UUID NOT NULL,
    "author_id" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "text" TEXT NOT NULL,

    CONSTRAINT "flag_comment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "saved_view" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "page" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "filters" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "saved_view_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "case_task" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "owner_id" UUID,
    "due_at" TIMESTAMPTZ(3),
    "status" TEXT NOT NULL DEFAULT 'open',
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "done_by" TEXT,
    "done_at" TIMESTAMPTZ(3),

    CONSTRAINT "case_task_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "flag_comment_flag_id_idx" ON "flag_comment"("flag_id");

-- CreateIndex
CREATE UNIQUE INDEX "saved_view_user_id_page_name_key" ON "saved_view"("user_id", "page", "name");

-- CreateIndex
CREATE INDEX "case_task_case_id_idx" ON "case_task"("case_id");

-- CreateIndex
CREATE INDEX "case_task_owner_id_status_idx" ON "case_task"("owner_id", "status");

-- CreateIndex
CREATE INDEX "flag_assignee_id_status_idx" ON "flag"("assignee_id", "status");
