import { move, transferableSymbol, valueSymbol } from 'piscina';
import { prepareTask, type NotABatch, type NotText, type PreparedBatch, type PrepareTask } from './ingest-check.js';

/** Worker-thread entry: the per-event work of one request, off the thread that serves HTTP and PostgreSQL. */
export default function prepare(task: PrepareTask): PreparedBatch | NotABatch | NotText {
  const prepared = prepareTask(task);
  if (!('events' in prepared)) return prepared;
  // The rows' buffer (their own, see encodeRows) is moved, not copied.
  return move({ [transferableSymbol]: prepared.events.rows.buffer, [valueSymbol]: prepared }) as unknown as PreparedBatch;
}
