-- An event named by its key (source, event_id) is found through ledger_event_key and then by
-- its chain position, which every month indexes. The months' own (source, event_id) index
-- only repeated what the key table answers, and cost every append one more index entry.
DROP INDEX "ledger_event_source_event_id_idx";
