-- A flag's comments are a record, like a case's notes: only ever added to.
CREATE TRIGGER flag_comment_append_only
  BEFORE UPDATE OR DELETE ON flag_comment
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_rewrite();
