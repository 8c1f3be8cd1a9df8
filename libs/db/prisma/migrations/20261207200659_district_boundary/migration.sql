-- CreateTable
CREATE TABLE "district_boundary" (
    "id" TEXT NOT NULL,
    "name_ru" TEXT,
    "name_kk" TEXT,
    "name_en" TEXT,
    "aliases" TEXT[],
    "geometry" JSONB NOT NULL,
    "bbox" DOUBLE PRECISION[],
    "attribution" TEXT,
    "licence" TEXT,
    "loaded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "district_boundary_pkey" PRIMARY KEY ("id")
);
