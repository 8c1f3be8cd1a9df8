-- A case's notes, attachments and timeline, and the signed checkpoints, are a record:
-- they are only ever added to. The same refusal the ledger uses.
CREATE TRIGGER case_note_append_only
  BEFORE UPDATE OR DELETE ON case_note
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_rewrite();

CREATE TRIGGER case_attachment_append_only
  BEFORE UPDATE OR DELETE ON case_attachment
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_rewrite();

CREATE TRIGGER case_event_append_only
  BEFORE UPDATE OR DELETE ON case_event
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_rewrite();

CREATE TRIGGER ledger_checkpoint_append_only
  BEFORE UPDATE OR DELETE ON ledger_checkpoint
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_rewrite();

-- Case numbers are readable ("C-2026-0007") and never reused.
CREATE SEQUENCE case_number_seq;
