import { z } from 'zod';
import { QUEUES } from '../queues.js';
import { isoInstant } from './common.js';
import { endpoint, type EndpointContract } from './endpoint.js';

export type QueueKey = keyof typeof QUEUES;
export const QUEUE_KEYS = Object.keys(QUEUES) as [QueueKey, ...QueueKey[]];
export const JOB_STATES = ['failed', 'active', 'waiting', 'delayed', 'completed'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** A worker's job as an operator sees it; payloads hold ids and instants only, never personal data. */
export const JobView = z
  .object({
    id: z.string(),
    name: z.string(),
    queue: z.enum(QUEUE_KEYS),
    state: z.enum(JOB_STATES),
    attemptsMade: z.number().int(),
    attempts: z.number().int(),
    failedReason: z.string().nullable(),
    /** The first line of the latest attempt's stack trace: the error's class and message. */
    stackFirstLine: z.string().nullable(),
    progress: z.unknown(),
    /** The payload; null when it is too large to list (dataBytes says how large). */
    data: z.unknown(),
    dataBytes: z.number().int(),
    createdAt: isoInstant,
    processedAt: isoInstant.nullable(),
    finishedAt: isoInstant.nullable(),
  })
  .meta({ id: 'JobView' });
export type JobView = z.infer<typeof JobView>;

export const JobList = z.object({ state: z.enum(JOB_STATES), queues: z.array(z.enum(QUEUE_KEYS)), jobs: z.array(JobView) }).meta({ id: 'JobList' });
export type JobList = z.infer<typeof JobList>;

export const jobEndpoints = {
  list: endpoint({
    method: 'GET',
    path: '/v1/jobs',
    tag: 'operations',
    access: ['admin', 'auditor'],
    summary: 'Jobs of every queue (or one) in a state, newest first: attempts, failure reason, first line of the stack, times, progress',
    query: z.strictObject({
      state: z.enum(JOB_STATES).default('failed'),
      queue: z.enum(QUEUE_KEYS).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
    response: JobList,
  }),
  retry: endpoint({
    method: 'POST',
    path: '/v1/jobs/{queue}/{id}/retry',
    tag: 'operations',
    access: ['admin'],
    summary: 'Run a failed job again, with its attempts counted afresh',
    params: z.object({ queue: z.string().meta({ description: `the queue: one of ${QUEUE_KEYS.join(', ')}` }), id: z.string().meta({ description: "the job's id" }) }),
    response: JobView,
  }),
} satisfies Record<string, EndpointContract>;
