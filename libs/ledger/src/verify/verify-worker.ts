import { checkBatch, type BatchResult } from './batch-check.js';
import type { CopyBatch } from './copy-out-batches.js';

/** One batch of COPY text, its buffer moved to the thread. */
export type VerifyTask = CopyBatch;

/** Worker-thread entry. */
export default function verifyBatch(task: VerifyTask): BatchResult {
  return checkBatch(Buffer.from(task.buffer, 0, task.length).toString('utf8'));
}
