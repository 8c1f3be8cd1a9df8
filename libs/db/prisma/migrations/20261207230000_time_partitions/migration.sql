-- The ledger and the access log, partitioned by month: the ledger by received_at (its own
-- clock, so a month closes for good and holds one unbroken stretch of every chain), the
-- access log by at. Partitions are made ahead by ensure_time_partitions(), which the
-- product calls at migration, at every start of the API and the worker, daily from a
-- worker schedule, and from `qadaga ledger partitions`. There is no DEFAULT partition: a
-- row for a month nobody made fails loudly instead of hiding in a catch-all that would
-- later stop that month from being attached. The existing rows are moved across.

-- ---------------------------------------------------------------------------------
-- Making partitions

-- One month of a parent, made as a table of its own and then attached: ATTACH takes
-- only SHARE UPDATE EXCLUSIVE on the parent, so writers and a long verification keep
-- running (CREATE TABLE ... PARTITION OF would wait for both, then block both).
CREATE FUNCTION attach_month_partition(parent regclass, month date, storage text DEFAULT NULL) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  first_day date := date_trunc('month', month)::date;
  name text := format('%s_y%sm%s', parent::text, to_char(first_day, 'YYYY'), to_char(first_day, 'MM'));
  lower_bound timestamptz := first_day::timestamp AT TIME ZONE 'UTC';
  upper_bound timestamptz := (first_day + interval '1 month')::timestamp AT TIME ZONE 'UTC';
BEGIN
  -- A month that exists, attached or detached for archiving, is left as it is.
  IF to_regclass(name) IS NOT NULL THEN
    RETURN NULL;
  END IF;
  EXECUTE format('CREATE TABLE %I (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)%s',
    name, parent, CASE WHEN storage IS NULL THEN '' ELSE format(' WITH (%s)', storage) END);
  EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent, name, lower_bound, upper_bound);
  RETURN name;
END;
$$;

-- Months from `from_month` to the current month (UTC) plus `months_ahead`, for both
-- tables; returns the partitions it made. Serialised by an advisory lock, so processes
-- starting together do not race to make the same month.
CREATE FUNCTION ensure_time_partitions(months_ahead integer, from_month date DEFAULT NULL) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
  this_month date := date_trunc('month', now() AT TIME ZONE 'UTC')::date;
  month date := LEAST(COALESCE(date_trunc('month', from_month)::date, this_month), this_month);
  made text;
BEGIN
  IF months_ahead IS NULL OR months_ahead < 0 THEN
    RAISE EXCEPTION 'months_ahead must be 0 or more, not %', months_ahead USING ERRCODE = 'invalid_parameter_value';
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('qadaga time partitions'));
  WHILE month <= this_month + make_interval(months => months_ahead) LOOP
    -- Inserts fill ledger partitions fast: vacuum them (and so their visibility maps,
    -- which the sweeps' index-only scans need) after 2 % of new rows, not 20 %.
    made := attach_month_partition('ledger_event', month, 'autovacuum_vacuum_insert_scale_factor = 0.02');
    IF made IS NOT NULL THEN RETURN NEXT made; END IF;
    made := attach_month_partition('access_log', month);
    IF made IS NOT NULL THEN RETURN NEXT made; END IF;
    month := (month + interval '1 month')::date;
  END LOOP;
END;
$$;

-- ---------------------------------------------------------------------------------
-- Keys across partitions, written in the same statement as the rows

CREATE TABLE "ledger_event_key" (
    "source" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "id" BIGINT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "chain_id" TEXT NOT NULL,
    "chain_seq" BIGINT NOT NULL,
    "content_hash" TEXT NOT NULL,

    CONSTRAINT "ledger_event_key_pkey" PRIMARY KEY ("source","event_id")
);
CREATE UNIQUE INDEX "ledger_event_key_chain_id_chain_seq_key" ON "ledger_event_key"("chain_id", "chain_seq");

CREATE TABLE "access_log_key" (
    "lane" INTEGER NOT NULL,
    "seq" BIGINT NOT NULL,
    "id" BIGINT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "access_log_key_pkey" PRIMARY KEY ("lane","seq")
);

-- One INSERT per appending statement (COPY included), from its transition table: a key
-- already stored fails the whole statement with 23505, as the unique indexes of the
-- unpartitioned table did, so the writer's redo with a lookup is unchanged.
CREATE FUNCTION ledger_event_keys() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO ledger_event_key (source, event_id, id, received_at, chain_id, chain_seq, content_hash)
    SELECT source, event_id, id, received_at, chain_id, chain_seq, content_hash FROM appended;
  RETURN NULL;
END;
$$;

CREATE FUNCTION access_log_keys() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- Rows written before the log was chained have no position to keep.
  INSERT INTO access_log_key (lane, seq, id, at)
    SELECT lane, seq, id, at FROM appended WHERE lane IS NOT NULL AND seq IS NOT NULL;
  RETURN NULL;
END;
$$;

-- The keys mirror the rows: emptying a table (tests, a fresh demo; the API's role holds
-- no TRUNCATE) empties its keys. Detaching a month for archiving keeps them.
CREATE FUNCTION ledger_event_keys_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- Emptied already when it was truncated in the same statement (which also forbids truncating it again here).
  IF EXISTS (SELECT FROM ledger_event_key) THEN
    TRUNCATE ledger_event_key;
  END IF;
  RETURN NULL;
END;
$$;

CREATE FUNCTION access_log_keys_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- Emptied already when it was truncated in the same statement (which also forbids truncating it again here).
  IF EXISTS (SELECT FROM access_log_key) THEN
    TRUNCATE access_log_key;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER ledger_event_key_append_only
  BEFORE UPDATE OR DELETE ON ledger_event_key
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_rewrite();

CREATE TRIGGER access_log_key_append_only
  BEFORE UPDATE OR DELETE ON access_log_key
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_rewrite();

-- ---------------------------------------------------------------------------------
-- The ledger

ALTER TABLE "ledger_event" RENAME TO "ledger_event_unpartitioned";
ALTER TABLE "ledger_event_unpartitioned" RENAME CONSTRAINT "ledger_event_pkey" TO "ledger_event_unpartitioned_pkey";
DROP INDEX "ledger_event_source_event_id_key";
DROP INDEX "ledger_event_chain_id_chain_seq_key";
DROP INDEX "ledger_event_violation_ref_idx";
DROP INDEX "ledger_event_type_time_actor";
DROP INDEX "ledger_event_actor_time";
DROP INDEX "ledger_event_plate";
ALTER SEQUENCE "ledger_event_id_seq" OWNED BY NONE;

CREATE TABLE "ledger_event" (
    "id" BIGINT NOT NULL DEFAULT nextval('ledger_event_id_seq'),
    "chain_id" TEXT NOT NULL,
    "chain_seq" BIGINT NOT NULL,
    "source" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "violation_ref" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "recorded_at" TIMESTAMPTZ(3),
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT statement_timestamp(),
    "actor_kind" TEXT NOT NULL,
    "actor_id" TEXT NOT NULL,
    "actor_unit" TEXT,
    "actor_workstation" TEXT,
    "payload" JSONB NOT NULL,
    "content_hash" TEXT NOT NULL,
    "chain_hash" TEXT NOT NULL,

    CONSTRAINT "ledger_event_pkey" PRIMARY KEY ("id","received_at")
) PARTITION BY RANGE ("received_at");
ALTER SEQUENCE "ledger_event_id_seq" OWNED BY "ledger_event"."id";

CREATE INDEX "ledger_event_source_event_id_idx" ON "ledger_event"("source", "event_id");
CREATE INDEX "ledger_event_chain_id_chain_seq_idx" ON "ledger_event"("chain_id", "chain_seq");
CREATE INDEX "ledger_event_violation_ref_idx" ON "ledger_event"("violation_ref");
CREATE INDEX "ledger_event_type_time_actor" ON "ledger_event"("type", "occurred_at", "actor_id", "violation_ref", "source", "event_id", "actor_kind", "actor_unit", "actor_workstation");
CREATE INDEX "ledger_event_actor_time" ON "ledger_event"("actor_id", "occurred_at");
CREATE INDEX "ledger_event_plate" ON "ledger_event" ((payload->>'plate')) WHERE type = 'detected';

CREATE TRIGGER ledger_event_append_only
  BEFORE UPDATE OR DELETE ON ledger_event
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_rewrite();

CREATE TRIGGER ledger_event_keys
  AFTER INSERT ON ledger_event
  REFERENCING NEW TABLE AS appended
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_event_keys();

CREATE TRIGGER ledger_event_keys_truncate
  AFTER TRUNCATE ON ledger_event
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_event_keys_truncate();

-- ---------------------------------------------------------------------------------
-- The access log

ALTER TABLE "access_log" RENAME TO "access_log_unpartitioned";
ALTER TABLE "access_log_unpartitioned" RENAME CONSTRAINT "access_log_pkey" TO "access_log_unpartitioned_pkey";
DROP INDEX "access_log_lane_seq_key";
DROP INDEX "access_log_subject_kind_subject_id_idx";
DROP INDEX "access_log_principal_at_idx";
ALTER SEQUENCE "access_log_id_seq" OWNED BY NONE;

CREATE TABLE "access_log" (
    "id" BIGINT NOT NULL DEFAULT nextval('access_log_id_seq'),
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "principal" TEXT NOT NULL,
    "roles" TEXT[],
    "action" TEXT NOT NULL,
    "subject_kind" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "reason" TEXT,
    "details" JSONB,
    "lane" INTEGER,
    "seq" BIGINT,
    "content_hash" TEXT,
    "chain_hash" TEXT,

    CONSTRAINT "access_log_pkey" PRIMARY KEY ("id","at")
) PARTITION BY RANGE ("at");
ALTER SEQUENCE "access_log_id_seq" OWNED BY "access_log"."id";

CREATE INDEX "access_log_lane_seq_idx" ON "access_log"("lane", "seq");
CREATE INDEX "access_log_subject_kind_subject_id_idx" ON "access_log"("subject_kind", "subject_id");
CREATE INDEX "access_log_principal_at_idx" ON "access_log"("principal", "at");

CREATE TRIGGER access_log_append_only
  BEFORE UPDATE OR DELETE ON access_log
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_rewrite();

CREATE TRIGGER access_log_keys
  AFTER INSERT ON access_log
  REFERENCING NEW TABLE AS appended
  FOR EACH STATEMENT EXECUTE FUNCTION access_log_keys();

CREATE TRIGGER access_log_keys_truncate
  AFTER TRUNCATE ON access_log
  FOR EACH STATEMENT EXECUTE FUNCTION access_log_keys_truncate();

-- ---------------------------------------------------------------------------------
-- The rows already stored: every month they reach, then the months ahead (the product
-- keeps making them from here on).

SELECT count(*) FROM ensure_time_partitions(3, (
  SELECT LEAST(
    (SELECT min(received_at) FROM ledger_event_unpartitioned),
    (SELECT min(at) FROM access_log_unpartitioned)
  ) AT TIME ZONE 'UTC')::date);

INSERT INTO ledger_event (id, chain_id, chain_seq, source, event_id, violation_ref, type, occurred_at, recorded_at, received_at,
                          actor_kind, actor_id, actor_unit, actor_workstation, payload, content_hash, chain_hash)
  SELECT id, chain_id, chain_seq, source, event_id, violation_ref, type, occurred_at, recorded_at, received_at,
         actor_kind, actor_id, actor_unit, actor_workstation, payload, content_hash, chain_hash
  FROM ledger_event_unpartitioned ORDER BY id;

INSERT INTO access_log (id, at, principal, roles, action, subject_kind, subject_id, reason, details, lane, seq, content_hash, chain_hash)
  SELECT id, at, principal, roles, action, subject_kind, subject_id, reason, details, lane, seq, content_hash, chain_hash
  FROM access_log_unpartitioned ORDER BY id;

-- Ids came from the sequences, so they are behind them already; a row given its id by hand
-- would otherwise collide with the next one the sequence hands out.
SELECT setval('ledger_event_id_seq', max(id)) FROM ledger_event HAVING max(id) > (SELECT last_value FROM ledger_event_id_seq);
SELECT setval('access_log_id_seq', max(id)) FROM access_log HAVING max(id) > (SELECT last_value FROM access_log_id_seq);

DROP TABLE "ledger_event_unpartitioned";
DROP TABLE "access_log_unpartitioned";
