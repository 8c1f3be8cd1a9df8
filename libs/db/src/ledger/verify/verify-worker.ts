import { checkBatch, type BatchResult } from './batch-check.js';

/** Worker-thread entry: one batch of COPY text, handed over without a copy. */
export default function verifyBatch(batch: ArrayBuffer): BatchResult {
  return checkBatch(Buffer.from(batch).toString('utf8'));
}
