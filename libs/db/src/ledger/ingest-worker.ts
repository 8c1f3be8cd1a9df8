import { move, transferableSymbol, valueSymbol } from 'piscina';
import { prepareTask, type NotABatch, type PreparedBatch, type PrepareTask } from './ingest-check.js';

/** Worker-thread entry: the per-event work of one request, off the thread that serves HTTP and PostgreSQL. */
export default function prepare(task: PrepareTask): PreparedBatch | NotABatch {
  const prepared = prepareTask(task);
  if (!('items' in prepared) || prepared.rows === undefined) return prepared;
  // The rows' buffer is moved, not copied: the items' views arrive as views over it.
  return move({ [transferableSymbol]: prepared.rows, [valueSymbol]: prepared }) as unknown as PreparedBatch;
}
