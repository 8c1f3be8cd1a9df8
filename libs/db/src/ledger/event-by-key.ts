/**
 * SQL that joins the ledger row of an event named by its key, `(source, event_id)`. The key
 * lives in `ledger_event_key`, the only index of it across the monthly partitions; the row is
 * then found by its chain position, which every month indexes. (Each month keeping its own
 * `(source, event_id)` index as well cost every append one more index entry, for lookups
 * the key table answers already.) `source` and `eventId` are SQL expressions; the row is
 * `alias`, its key `${alias}_key`.
 */
export function joinEventByKey(source: string, eventId: string, alias = 'e'): string {
  const key = `${alias}_key`;
  return `JOIN ledger_event_key ${key} ON ${key}.source = ${source} AND ${key}.event_id = ${eventId}
     JOIN ledger_event ${alias} ON ${alias}.chain_id = ${key}.chain_id AND ${alias}.chain_seq = ${key}.chain_seq`;
}
