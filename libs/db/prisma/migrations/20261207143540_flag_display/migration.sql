-- AlterTable
ALTER TABLE "flag" ADD COLUMN     "display" JSONB NOT NULL DEFAULT '[]';
