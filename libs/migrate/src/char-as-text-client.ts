import pg from 'pg';

const CHAR_OID = 18; // Postgres's internal one-byte "char" type
const TEXT_OID = 25;

/**
 * adapter-pg refuses any result column of type "char" (OID 18), and the schema engine's
 * catalog queries return several (relkind, contype, attidentity, ...). The values are
 * already plain strings by the time adapter-pg sees them, so relabelling the column as
 * text is all it takes. Done in the pg client because adapter-pg throws before a caller
 * could intervene.
 */
export class CharAsTextClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    const query = super.query.bind(this) as unknown as (...args: unknown[]) => unknown;
    Object.defineProperty(this, 'query', { value: (...args: unknown[]) => relabelled(query, args) });
  }
}

// pg.Client#query answers through a callback when the last argument is one (pg-pool
// does this), through a promise otherwise; both are covered.
function relabelled(query: (...args: unknown[]) => unknown, args: unknown[]): unknown {
  const last = args.at(-1);
  if (typeof last === 'function') {
    const callback = last as (error: unknown, result: unknown) => unknown;
    return query(...args.slice(0, -1), (error: unknown, result: unknown) => callback(error, relabel(result)));
  }
  const returned = query(...args);
  return returned instanceof Promise ? returned.then(relabel) : returned;
}

function relabel(result: unknown): unknown {
  // A multi-statement query yields one result per statement.
  for (const one of Array.isArray(result) ? result : [result]) {
    if (typeof one !== 'object' || one === null || !('fields' in one) || !Array.isArray(one.fields)) continue;
    for (const field of one.fields as unknown[]) {
      if (typeof field === 'object' && field !== null && 'dataTypeID' in field && field.dataTypeID === CHAR_OID) {
        Object.assign(field, { dataTypeID: TEXT_OID });
      }
    }
  }
  return result;
}
