-- When each signing key was the product's active signer. A bundle or checkpoint claiming a
-- time outside its key's period is refused, so a key stolen after its retirement cannot
-- sign anything dated later, and a new key cannot sign anything dated before it existed.
-- active_from NULL: the key signed before periods were recorded, from no known start.
-- retired_at NULL: the key is the active signer now.
-- CreateTable
CREATE TABLE "signing_key" (
    "key_id" TEXT NOT NULL,
    "public_key" TEXT NOT NULL,
    "algorithm" TEXT NOT NULL DEFAULT 'Ed25519',
    "active_from" TIMESTAMPTZ(3),
    "retired_at" TIMESTAMPTZ(3),
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "signing_key_pkey" PRIMARY KEY ("key_id")
);

-- A period is only ever added to: rows are never deleted, a key's id, public key and start
-- never change, and its retirement is written once.
CREATE FUNCTION signing_key_refuse_rewrite() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND OLD.retired_at IS NULL
     AND NEW.retired_at IS NOT NULL
     AND NEW.key_id = OLD.key_id
     AND NEW.public_key = OLD.public_key
     AND NEW.algorithm = OLD.algorithm
     AND NEW.active_from IS NOT DISTINCT FROM OLD.active_from
     AND NEW.recorded_at = OLD.recorded_at THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'signing_key is append-only (a retirement is written once): % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER signing_key_append_only
  BEFORE UPDATE OR DELETE ON signing_key
  FOR EACH ROW EXECUTE FUNCTION signing_key_refuse_rewrite();
