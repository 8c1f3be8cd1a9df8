import type { Job } from 'bullmq';
import type { JobState, JobView, QueueKey } from '@qadaga/contracts/api';

export { JOB_STATES, type JobState, type JobView, type QueueKey } from '@qadaga/contracts/api';
export const ALL_QUEUES = Symbol('ALL_QUEUES');

/** Larger payloads (a backtest's draft) are left out of a listing and only their size is shown. */
const MAX_LISTED_DATA_BYTES = 4_096;

const iso = (ms: number | undefined) => (ms === undefined || ms === 0 ? null : new Date(ms).toISOString());

/** What an operator needs to see why a job failed; payloads hold ids and instants only, never personal data. */
export function jobView(job: Job, queue: QueueKey, state: JobState): JobView {
  const json = JSON.stringify(job.data ?? null);
  const dataBytes = Buffer.byteLength(json);
  const latestStack = job.stacktrace?.at(-1);
  return {
    id: String(job.id),
    name: job.name,
    queue,
    state,
    attemptsMade: job.attemptsMade,
    attempts: job.opts.attempts ?? 1,
    failedReason: job.failedReason === undefined || job.failedReason === '' ? null : job.failedReason,
    stackFirstLine: latestStack === undefined ? null : (latestStack.split('\n')[0] ?? null),
    progress: job.progress,
    data: dataBytes <= MAX_LISTED_DATA_BYTES ? job.data : null,
    dataBytes,
    createdAt: new Date(job.timestamp).toISOString(),
    processedAt: iso(job.processedOn),
    finishedAt: iso(job.finishedOn),
  };
}
