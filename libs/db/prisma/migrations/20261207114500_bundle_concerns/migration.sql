-- The officers and units a finished bundle's flags are about, written with its bytes:
-- a person recused from any of them is refused the bundle, whoever asked for it.
ALTER TABLE "evidence_bundle" ADD COLUMN "concerns" TEXT[];
