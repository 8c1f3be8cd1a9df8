-- The ledger is append-only. The hash chain makes any rewrite detectable; this trigger
-- makes the ordinary ways of rewriting fail loudly in the first place. (Deployments
-- should also run the API under a role without TRUNCATE on these tables.)
CREATE FUNCTION ledger_refuse_rewrite() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger_event is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER ledger_event_append_only
  BEFORE UPDATE OR DELETE ON ledger_event
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_rewrite();

CREATE TRIGGER ingest_conflict_append_only
  BEFORE UPDATE OR DELETE ON ingest_conflict
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_rewrite();

CREATE TRIGGER access_log_append_only
  BEFORE UPDATE OR DELETE ON access_log
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_rewrite();
