/** Literal keys, so the locale test can see every failure an auditor may be shown. */
export const VERIFY_FAILURE_KEYS: Record<string, string> = {
  content_edited: 'ledger.kind.content_edited',
  link_broken: 'ledger.kind.link_broken',
  row_inserted: 'ledger.kind.row_inserted',
  rows_missing: 'ledger.kind.rows_missing',
  tail_missing: 'ledger.kind.tail_missing',
  head_mismatch: 'ledger.kind.head_mismatch',
  checkpoint_hash_mismatch: 'ledger.kind.checkpoint_hash_mismatch',
  checkpoint_row_missing: 'ledger.kind.checkpoint_row_missing',
  head_behind_checkpoint: 'ledger.kind.head_behind_checkpoint',
  checkpoint_signature_invalid: 'ledger.kind.checkpoint_signature_invalid',
  checkpoint_missing_from_database: 'ledger.kind.checkpoint_missing_from_database',
  checkpoint_altered: 'ledger.kind.checkpoint_altered',
};
