import { prepareItems, prepareJsonArray, type PreparedBatch, type RawItem } from './ingest-check.js';

export type PrepareTask =
  | { kind: 'json'; text: string; allowedSource: string | null; maxEvents: number }
  | { kind: 'items'; items: RawItem[]; allowedSource: string | null };

/** Worker-thread entry: the per-event work of one request, off the thread that serves HTTP and PostgreSQL. */
export default function prepare(task: PrepareTask): PreparedBatch | undefined {
  return task.kind === 'json' ? prepareJsonArray(task.text, task.allowedSource, task.maxEvents) : prepareItems(task.items, task.allowedSource);
}
